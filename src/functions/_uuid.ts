/**
 * Version 1 (time-based) UUIDs, as eKuiper's `newuuid()` returns (google/uuid `NewUUID`).
 * The node id is random with the multicast bit set (RFC 4122 §4.5), since reading a MAC
 * address is not portable.
 *
 * @module
 */

/** 100 ns intervals between 1582-10-15 and 1970-01-01. */
const GREGORIAN_OFFSET = 122192928000000000n;

const node = crypto.getRandomValues(new Uint8Array(6));
node[0] |= 0x01;
let clockSeq = crypto.getRandomValues(new Uint16Array(1))[0] & 0x3fff;
let lastMs = 0;
let ticks = 0;

function hex(n: bigint | number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

export function uuidV1(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    ticks = 0;
  } else if (nowMs < lastMs) {
    clockSeq = (clockSeq + 1) & 0x3fff; // clock went back: a new sequence keeps ids unique
    lastMs = nowMs;
    ticks = 0;
  } else if (++ticks >= 10000) {
    clockSeq = (clockSeq + 1) & 0x3fff;
    ticks = 0;
  }
  const t = BigInt(nowMs) * 10000n + BigInt(ticks) + GREGORIAN_OFFSET;
  const timeLow = t & 0xffffffffn;
  const timeMid = (t >> 32n) & 0xffffn;
  const timeHi = ((t >> 48n) & 0x0fffn) | 0x1000n;
  const seq = clockSeq | 0x8000;
  const nodeHex = Array.from(node, (b) => hex(b, 2)).join("");
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(seq, 4)}-${nodeHex}`;
}
