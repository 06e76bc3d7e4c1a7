/**
 * Counters from `GET /rules/{id}/status` answers: one counter by key pattern, the delta of a
 * counter between two answers, and the sum of such deltas over many rules (S3's fan-out).
 */

export type Status = Record<string, unknown>;

function num(v: unknown): number {
  return typeof v === "number" ? v : NaN;
}

/** The first key of `status` that matches `re`, if any. */
export function counterKey(status: Status, re: RegExp): string | undefined {
  return Object.keys(status).find((k) => re.test(k));
}

/** after − before of the counter matching `re`; NaN when the rule has no such counter. */
export function counterDelta(before: Status, after: Status, re: RegExp): number {
  const k = counterKey(after, re);
  return k ? num(after[k]) - num(before[k] ?? 0) : NaN;
}

/** Σ over rules of `counterDelta` (NaN if any rule lacks the counter). */
export function summedDelta(before: Status[], after: Status[], re: RegExp): number {
  let sum = 0;
  for (let i = 0; i < after.length; i++) sum += counterDelta(before[i] ?? {}, after[i], re);
  return sum;
}
