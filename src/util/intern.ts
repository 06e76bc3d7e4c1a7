/**
 * One string object per distinct key. Keys compared on every message (a SHARED stream's decode
 * key, a dispatch key) are built per rule from the same parts: interned, their comparison is
 * a reference check instead of 40-odd characters. The pool holds each distinct key ever made,
 * bounded by the distinct streams, formats and expressions planned.
 */
const pool = new Map<string, string>();

export function intern(key: string): string {
  const known = pool.get(key);
  if (known !== undefined) return known;
  pool.set(key, key);
  return key;
}
