/**
 * eKuiper durations (`cast.DurationConf`): an integer of milliseconds or a Go duration string
 * such as "1s", "500ms", "1h30m", "1.5s".
 */
const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Returns milliseconds, or throws an Error naming what was wrong. */
export function parseDuration(v: unknown, what = "duration"): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v < 0) throw new Error(`${what} must be a non-negative number`);
    return v;
  }
  if (typeof v !== "string") throw new Error(`${what} must be a number or a duration string`);
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new Error(`invalid ${what} "${v}"`);
    total += Number(m[1]) * UNITS[m[2]];
    pos = re.lastIndex;
  }
  if (s.length === 0) throw new Error(`invalid ${what} ""`);
  return total;
}
