/**
 * A fast path for the payload nearly every MQTT device sends: one flat JSON object whose values
 * are numbers, strings without escapes, booleans or null, with the same keys message after
 * message.
 *
 * `JSON.parse` of a 70-byte reading costs about 0.34 us under Deno 2.9, more than the rest of
 * Weir's per-message decoding work. This scanner reads the text in place (no substring per
 * payload), compares each key with the shape the previous messages had, and builds the object
 * with a constructor compiled once per shape (an object literal, so every row gets one hidden
 * class): about 0.2 us for the same payload (`json_flat_bench.ts`).
 *
 * Anything else - nested values, escapes, exponents, numbers with more than 15 digits, keys
 * that are array indexes or `__proto__`, malformed text - returns undefined and the caller
 * uses `JSON.parse`, so results and error messages are exactly `JSON.parse`'s. Numbers are
 * exact: up to 15 significant digits the integer mantissa and 10^fraction digits are both exact
 * doubles, and one division of exact doubles is correctly rounded (Clinger's fast path).
 *
 * @module
 */
import type { Row } from "../runtime/tuple.ts";

/** Shapes with more keys are not compiled (the object is built by JSON.parse). */
const MAX_KEYS = 64;
/** Distinct shapes compiled per parser; payloads of any further shape go to JSON.parse. */
const MAX_SHAPES = 64;
/** Significant digits that keep a mantissa exact (10^15 < 2^53). */
const MAX_DIGITS = 15;

const POW10 = [
  1,
  1e1,
  1e2,
  1e3,
  1e4,
  1e5,
  1e6,
  1e7,
  1e8,
  1e9,
  1e10,
  1e11,
  1e12,
  1e13,
  1e14,
  1e15,
  1e16,
  1e17,
  1e18,
  1e19,
  1e20,
  1e21,
  1e22,
];

const QUOTE = 0x22, COMMA = 0x2c, MINUS = 0x2d, DOT = 0x2e, COLON = 0x3a;
const ZERO = 0x30, NINE = 0x39, BACKSLASH = 0x5c, OPEN = 0x7b, CLOSE = 0x7d;

/** A set of keys in order, and the constructor of objects with them. */
interface Shape {
  keys: string[];
  make: (values: unknown[]) => Row;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Keys an object literal would treat differently from JSON.parse's own properties, or order
 * differently (integer-like keys are enumerated first either way, but need no fast path). */
function plainKey(k: string): boolean {
  if (k === "__proto__") return false;
  const c = k.charCodeAt(0);
  return !(c >= ZERO && c <= NINE);
}

function compile(keys: string[]): Shape {
  const fields = keys.map((k, i) => `${JSON.stringify(k)}:v[${i}]`).join(",");
  // One literal per shape: every object of the shape starts with the same hidden class.
  const make = new Function("v", `return {${fields}};`) as Shape["make"];
  return { keys, make };
}

export class FlatJsonParser {
  #shape: Shape | undefined;
  /** The shape before the last change: two kinds of message interleaving both stay fast. */
  #previous: Shape | undefined;
  /** Shapes by their keys (null: not compiled); made on the first change of shape. A stream's
   * format is bound once per rule, and an idle rule should cost nothing here. */
  #shapes: Map<string, Shape | null> | undefined;
  /** The last object made. V8 holds a hidden class only weakly (from its parent class and from
   * the optimized code that assumes it): when every object of the shape is dead at a full
   * collection, the class goes and the code built on it is thrown away, and the next class
   * starts over learning each field's representation. With no row kept alive anywhere else,
   * `parse` was deoptimized hundreds of times a run and S3-10 cost three times as much
   * (docs/runtime.md, "V8's tiers"). One kept row keeps the current class alive. */
  #last: Row | undefined;
  readonly #values: unknown[] = [];
  readonly #keyStart: number[] = [];
  readonly #keyEnd: number[] = [];

  /**
   * The object `t[start, end)` holds, or undefined when the text is not a flat object this
   * scanner reads (or not valid JSON): parse it with JSON.parse then.
   */
  parse(t: string, start: number, end: number): Row | undefined {
    let i = start;
    let c = t.charCodeAt(i);
    while (isSpace(c)) c = t.charCodeAt(++i);
    if (c !== OPEN) return undefined;
    c = t.charCodeAt(++i);
    while (isSpace(c)) c = t.charCodeAt(++i);
    const shape = this.#shape;
    const keys = shape?.keys;
    let same = keys !== undefined;
    const values = this.#values;
    let n = 0;
    if (c !== CLOSE) {
      for (;;) {
        // Key.
        if (c !== QUOTE || n === MAX_KEYS) return undefined;
        const ks = ++i;
        c = t.charCodeAt(i);
        while (c !== QUOTE) {
          if (c === BACKSLASH || c < 0x20 || i >= end) return undefined;
          c = t.charCodeAt(++i);
        }
        const ke = i;
        if (same) {
          const k = keys![n];
          same = k !== undefined && k.length === ke - ks && t.startsWith(k, ks);
        }
        this.#keyStart[n] = ks;
        this.#keyEnd[n] = ke;
        c = t.charCodeAt(++i);
        while (isSpace(c)) c = t.charCodeAt(++i);
        if (c !== COLON) return undefined;
        c = t.charCodeAt(++i);
        while (isSpace(c)) c = t.charCodeAt(++i);
        // Value.
        if (c === QUOTE) {
          const vs = ++i;
          c = t.charCodeAt(i);
          while (c !== QUOTE) {
            if (c === BACKSLASH || c < 0x20 || i >= end) return undefined;
            c = t.charCodeAt(++i);
          }
          values[n] = t.substring(vs, i);
          c = t.charCodeAt(++i);
        } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
          const negative = c === MINUS;
          if (negative) c = t.charCodeAt(++i);
          if (c === ZERO) {
            c = t.charCodeAt(++i);
            // A leading zero is the whole integer part ("01" is not JSON).
            if (c >= ZERO && c <= NINE) return undefined;
          } else if (!(c >= ZERO && c <= NINE)) return undefined;
          let m = 0, digits = 0;
          while (c >= ZERO && c <= NINE) {
            m = m * 10 + (c - ZERO);
            digits++;
            c = t.charCodeAt(++i);
          }
          if (c === DOT) {
            c = t.charCodeAt(++i);
            let fraction = 0;
            while (c >= ZERO && c <= NINE) {
              m = m * 10 + (c - ZERO);
              fraction++;
              c = t.charCodeAt(++i);
            }
            if (fraction === 0) return undefined;
            digits += fraction;
            m /= POW10[fraction];
          }
          // Leading zeros of the mantissa ("0.000012") count: a safe bound, not a tight one.
          if (digits > MAX_DIGITS || c === 0x65 || c === 0x45) return undefined;
          values[n] = negative ? -m : m;
        } else if (c === 0x74 && t.startsWith("true", i)) {
          values[n] = true;
          c = t.charCodeAt(i += 4);
        } else if (c === 0x66 && t.startsWith("false", i)) {
          values[n] = false;
          c = t.charCodeAt(i += 5);
        } else if (c === 0x6e && t.startsWith("null", i)) {
          values[n] = null;
          c = t.charCodeAt(i += 4);
        } else return undefined;
        n++;
        while (isSpace(c)) c = t.charCodeAt(++i);
        if (c === COMMA) {
          c = t.charCodeAt(++i);
          while (isSpace(c)) c = t.charCodeAt(++i);
          continue;
        }
        if (c === CLOSE) break;
        return undefined;
      }
    }
    c = t.charCodeAt(++i);
    while (i < end && isSpace(c)) c = t.charCodeAt(++i);
    if (i !== end) return undefined;
    if (same && n === keys!.length) return this.#last = shape!.make(values);
    return this.#other(t, n);
  }

  /** An object whose keys differ from the last message's: its shape, looked up or compiled. */
  #other(t: string, n: number): Row | undefined {
    const previous = this.#previous;
    if (previous && this.#hasKeys(t, n, previous.keys)) return this.#use(previous);
    const keys: string[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const key = t.substring(this.#keyStart[k], this.#keyEnd[k]);
      if (!plainKey(key)) return undefined;
      keys[k] = key;
    }
    // Keys hold no control characters, so NUL separates them; the count tells {} from {"":1}.
    const signature = `${n}\u0000${keys.join("\u0000")}`;
    const shapes = this.#shapes ??= new Map();
    let shape = shapes.get(signature);
    if (shape === undefined) {
      if (shapes.size === MAX_SHAPES) return undefined;
      // A key given twice: JSON.parse keeps the last value at the first place; so would a
      // literal, but such payloads are rare enough to leave to JSON.parse.
      shape = new Set(keys).size === n ? compile(keys) : null;
      shapes.set(signature, shape);
    }
    return shape === null ? undefined : this.#use(shape);
  }

  #hasKeys(t: string, n: number, keys: string[]): boolean {
    if (keys.length !== n) return false;
    for (let k = 0; k < n; k++) {
      const key = keys[k], ks = this.#keyStart[k];
      if (key.length !== this.#keyEnd[k] - ks || !t.startsWith(key, ks)) return false;
    }
    return true;
  }

  #use(shape: Shape): Row {
    if (shape !== this.#shape) {
      this.#previous = this.#shape;
      this.#shape = shape;
    }
    return this.#last = shape.make(this.#values);
  }
}
