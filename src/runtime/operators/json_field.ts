/**
 * Reads one top-level field of a JSON object payload without decoding the rest (eKuiper's
 * `PartialDecoder.DecodeField`): the downsampling ratelimit step keys messages by that field
 * and only the survivors are decoded in full. The scan skips other values byte by byte.
 *
 * Composite values (objects, arrays) all map to {@link COMPOSITE}: as eKuiper documents,
 * nested or composite merge fields are grouped under one key.
 */

/** The key of every object or array value. */
export const COMPOSITE: unique symbol = Symbol("composite");
/** The key of messages without the field. */
export const MISSING: unique symbol = Symbol("missing");

export type FieldKey = string | number | boolean | null | typeof COMPOSITE | typeof MISSING;

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function fail(what: string): never {
  throw new Error(`invalid JSON payload: ${what}`);
}

/** A reader bound to one field name; `read` is allocation-free for the skipped values. */
export class JsonFieldReader {
  private readonly name: Uint8Array;

  constructor(readonly field: string) {
    this.name = encoder.encode(field);
  }

  read(p: Uint8Array): FieldKey {
    let i = skipSpace(p, 0);
    if (p[i] !== LBRACE) fail(`mergeField ${this.field} needs a JSON object payload`);
    i = skipSpace(p, i + 1);
    if (p[i] === RBRACE) return MISSING;
    for (;;) {
      if (p[i] !== QUOTE) fail(`expected a key at byte ${i}`);
      const keyStart = i + 1;
      const keyEnd = stringEnd(p, i);
      const match = this.keyMatches(p, keyStart, keyEnd);
      i = skipSpace(p, keyEnd + 1);
      if (p[i] !== COLON) fail(`expected ':' at byte ${i}`);
      i = skipSpace(p, i + 1);
      const valueEnd = valueEndOf(p, i);
      if (match) return keyOf(p, i, valueEnd);
      i = skipSpace(p, valueEnd);
      if (p[i] === COMMA) i = skipSpace(p, i + 1);
      else if (p[i] === RBRACE) return MISSING;
      else fail(`expected ',' or '}' at byte ${i}`);
    }
  }

  private keyMatches(p: Uint8Array, start: number, end: number): boolean {
    const n = this.name;
    if (end - start === n.length) {
      for (let k = 0; k < n.length; k++) if (p[start + k] !== n[k]) return false;
      return true;
    }
    // An escaped key (rare) is compared decoded.
    for (let k = start; k < end; k++) {
      if (p[k] === BACKSLASH) {
        return JSON.parse(utf8.decode(p.subarray(start - 1, end + 1))) === this.field;
      }
    }
    return false;
  }
}

function skipSpace(p: Uint8Array, i: number): number {
  while (i < p.length && isSpace(p[i])) i++;
  return i;
}

/** Index of the closing quote of the string opening at `i`. */
function stringEnd(p: Uint8Array, i: number): number {
  for (let k = i + 1; k < p.length; k++) {
    const b = p[k];
    if (b === BACKSLASH) k++;
    else if (b === QUOTE) return k;
  }
  return fail("unterminated string");
}

/** Index just past the value starting at `i`. */
function valueEndOf(p: Uint8Array, i: number): number {
  const b = p[i];
  if (b === QUOTE) return stringEnd(p, i) + 1;
  if (b === LBRACE || b === LBRACKET) {
    let depth = 0;
    for (let k = i; k < p.length; k++) {
      const c = p[k];
      if (c === QUOTE) k = stringEnd(p, k);
      else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 0) return k + 1;
      }
    }
    return fail("unterminated object or array");
  }
  let k = i;
  while (k < p.length && p[k] !== COMMA && p[k] !== RBRACE && !isSpace(p[k])) k++;
  if (k === i) fail(`expected a value at byte ${i}`);
  return k;
}

function keyOf(p: Uint8Array, start: number, end: number): FieldKey {
  const b = p[start];
  if (b === LBRACE || b === LBRACKET) return COMPOSITE;
  try {
    return JSON.parse(utf8.decode(p.subarray(start, end))) as FieldKey;
  } catch {
    return fail(`bad value at byte ${start}`);
  }
}
