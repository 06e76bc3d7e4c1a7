/**
 * Plain TCP to the broker over Deno's own socket (`Deno.connect`), for `tcp://` and `mqtt://`
 * when Weir runs under Deno.
 *
 * Why not `node:net`, which Deno also provides: its socket is a Node stream over the same
 * Deno socket, and each read pays for a Buffer, the stream's bookkeeping, async hooks and
 * next-tick callbacks, and keeps a read in flight while paused (so a coalescing nap still lets
 * a small read through). Here Weir issues each read itself, into slabs of memory that read
 * chunks are cut from (a chunk is never written again: payloads are views into it), and does
 * not read at all while the client holds or the reader naps. Writes queued in one turn go out
 * as one write.
 *
 * @module
 */
import type { Transport, TransportEvents } from "./mqtt_transport.ts";
import { ReadCoalescing } from "./read_coalescing.ts";
import { concat } from "./mqtt_wire.ts";

/** Bytes asked of the socket per read. */
const READ_BYTES = 64 * 1024;
/** Reads are cut from slabs this big; a slab is dropped once too little is left for a read. */
const SLAB_BYTES = 256 * 1024;
/** Unsent bytes above which `write` reports congestion, and below which `drain` follows. */
const HIGH_WATER = 1024 * 1024;

export function openDenoTcp(host: string, port: number, ev: TransportEvents): Transport {
  let conn: Deno.TcpConn | undefined;
  let done = false;
  let failure: Error | undefined;
  // Reading stops while the client holds (backpressure) or the reader naps (coalescing).
  let held = false;
  let napping = false;
  let wakeReader: (() => void) | undefined;
  const readable = () => {
    if (held || napping || !wakeReader) return;
    const wake = wakeReader;
    wakeReader = undefined;
    wake();
  };
  const nap = new ReadCoalescing(() => {
    napping = false;
    readable();
  });

  let queued: Uint8Array[] = [];
  let unsent = 0;
  let writing = false;
  let congested = false;
  let ending = false;

  const close = (e?: unknown) => {
    if (e !== undefined) failure ??= e instanceof Error ? e : new Error(String(e));
    if (done) return;
    done = true;
    nap.cancel();
    try {
      conn?.close();
    } catch { /* already closed */ }
    wakeReader?.();
    ev.close(failure);
  };

  const readLoop = async (c: Deno.TcpConn) => {
    let slab = new Uint8Array(SLAB_BYTES);
    let used = 0;
    try {
      while (!done) {
        if (held || napping) {
          await new Promise<void>((resolve) => wakeReader = resolve);
          continue;
        }
        if (SLAB_BYTES - used < READ_BYTES) {
          slab = new Uint8Array(SLAB_BYTES);
          used = 0;
        }
        const n = await c.read(slab.subarray(used, used + READ_BYTES));
        if (n === null || done) break;
        const chunk = slab.subarray(used, used + n);
        used += n;
        ev.data(chunk);
        if (nap.afterRead(n)) napping = true;
      }
    } catch (e) {
      if (!done) failure ??= e as Error;
    }
    close();
  };

  const writeLoop = async (c: Deno.TcpConn) => {
    writing = true;
    try {
      while (queued.length > 0 && !done) {
        const bytes = queued.length === 1 ? queued[0] : concat(queued, unsent);
        queued = [];
        for (let off = 0; off < bytes.length;) off += await c.write(bytes.subarray(off));
        unsent -= bytes.length;
        if (congested && unsent <= HIGH_WATER / 2) {
          congested = false;
          ev.drain();
        }
      }
    } catch (e) {
      close(e);
    }
    writing = false;
    if (ending && !done) {
      try {
        await c.closeWrite(); // the broker closes its side after DISCONNECT
      } catch {
        close();
      }
    }
  };

  Deno.connect({ hostname: host, port }).then((c) => {
    if (done) return c.close();
    conn = c;
    // Writes are coalesced per turn by the client; Nagle would only add delay.
    c.setNoDelay(true);
    ev.open();
    readLoop(c);
    if (queued.length > 0 || ending) writeLoop(c);
  }, close);

  return {
    write(bytes) {
      if (done) return false;
      queued.push(bytes);
      unsent += bytes.length;
      if (conn && !writing) writeLoop(conn);
      if (unsent > HIGH_WATER) congested = true;
      return !congested;
    },
    pause() {
      held = true;
    },
    resume() {
      held = false;
      readable();
    },
    end() {
      if (ending || done) return;
      ending = true;
      if (conn && !writing) writeLoop(conn);
    },
    destroy: () => close(),
  };
}
