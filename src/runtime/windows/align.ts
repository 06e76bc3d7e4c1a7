/**
 * Natural-time alignment of the first window end (eKuiper's `getAlignedWindowEndTime`, SPEC §5.2).
 *
 * The first end is the next multiple of the raw interval counted from the start of the
 * next-larger unit in local time: `SS` from the start of the minute, `MI` from the hour, `HH`
 * from midnight, `MS` from the second; `DD` is local midnight + n days. Multiples may run past
 * the larger unit (`ss, 7` at second 57 aligns to second 63 = next minute + 3 s), exactly as
 * eKuiper does. After the first end the engine steps by a fixed period, so `ss, 7` drifts
 * against minute boundaries like eKuiper's ticker.
 *
 * One deliberate difference: the result is always strictly after `now`. eKuiper returns `now`
 * (truncated to the unit) when the current second equals the interval, which fires an almost
 * empty window immediately.
 *
 * @module
 */
import type { TimeUnit } from "./spec.ts";
import { unitMs } from "./spec.ts";

/** Offset of local time from UTC in ms at instant `utcMs` (local = utc + offset). */
export type TimezoneOffset = (utcMs: number) => number;

/** The process's local time zone (DST-aware through Date). */
export const localTimezone: TimezoneOffset = (utcMs) =>
  -new Date(utcMs).getTimezoneOffset() * 60_000;

/** A fixed offset, for tests and `basic.timezone`-style configuration. */
export function fixedOffset(offsetMs: number): TimezoneOffset {
  return () => offsetMs;
}

const LARGER_UNIT_MS: Record<Exclude<TimeUnit, "DD">, number> = {
  HH: 86_400_000,
  MI: 3_600_000,
  SS: 60_000,
  MS: 1_000,
};

/** The first window end strictly after `now` for an interval of `interval` `unit`s. */
export function alignedWindowEnd(
  now: number,
  interval: number,
  unit: TimeUnit,
  tz: TimezoneOffset = localTimezone,
): number {
  const offset = tz(now);
  const local = now + offset;
  if (unit === "DD") {
    const midnight = local - mod(local, 86_400_000);
    return midnight + interval * 86_400_000 - offset;
  }
  const base = local - mod(local, LARGER_UNIT_MS[unit]);
  const step = interval * unitMs(unit);
  const k = Math.floor((local - base) / step) + 1;
  return base + k * step - offset;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Greatest common divisor: the pane that fits every bound of a grid of two periods. */
export function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
