/**
 * UTF-8 views of JavaScript (UTF-16) strings. eKuiper's string functions work on Go strings,
 * i.e. UTF-8 bytes: `numbytes`, `indexof` and `substring` count bytes, `length` counts
 * characters. ASCII-only strings, the common case, skip the encoding.
 *
 * @module
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const NON_ASCII = /[\u0080-\uffff]/;

/** Bytes of the UTF-8 encoding (lone surrogates count as U+FFFD, as TextEncoder writes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Characters (Unicode code points), Go's `utf8.RuneCountInString`. */
export function codePointCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Byte offset of `sub` in `s`, or -1 (Go's `strings.Index`). */
export function byteIndexOf(s: string, sub: string): number {
  const i = s.indexOf(sub);
  if (i <= 0 || !NON_ASCII.test(s)) return i;
  return utf8Length(s.slice(0, i));
}

/** Bytes `[start, end)` of the UTF-8 encoding, decoded back (a cut inside a character
 * yields U+FFFD, where Go would yield invalid UTF-8). */
export function byteSlice(s: string, start: number, end?: number): string {
  if (!NON_ASCII.test(s)) return s.slice(start, end);
  return decoder.decode(encoder.encode(s).subarray(start, end));
}
