/**
 * Parsing a time text with eKuiper's Java-like pattern (`yyyy-MM-dd HH:mm:ss`, the letters
 * `format_time` prints, see `_time.ts`): the stream option `TIMESTAMP_FORMAT` reads event
 * times with it. Fields absent from the pattern default to the epoch's (1970-01-01 00:00);
 * without a zone in the pattern (`Z`, `X`) the text is wall-clock time in `basic.timezone`.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { fields, getTimezone } from "./_time.ts";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

type Slot =
  | "year"
  | "year2"
  | "month"
  | "monthName"
  | "day"
  | "hour"
  | "hour12"
  | "ampm"
  | "minute"
  | "second"
  | "fraction"
  | "offset"
  | "skip";

interface Compiled {
  regex: RegExp;
  slots: Slot[];
}

const cache = new Map<string, Compiled>();

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compile(pattern: string): Compiled {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const chars = Array.from(pattern);
  let re = "";
  const slots: Slot[] = [];
  const group = (body: string, slot: Slot) => {
    re += `(${body})`;
    slots.push(slot);
  };
  for (let i = 0; i < chars.length;) {
    const c = chars[i];
    if (c === "\\" && i + 1 < chars.length) {
      re += escape(chars[i + 1]);
      i += 2;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      while (j < chars.length && chars[j] !== "'") j++;
      re += j === i + 1 ? "'" : escape(chars.slice(i + 1, j).join(""));
      i = j + 1;
      continue;
    }
    let n = 1;
    while (i + n < chars.length && chars[i + n] === c) n++;
    switch (c) {
      case "y":
      case "Y":
        if (n === 2) group("\\d{2}", "year2");
        else group("\\d{4}", "year");
        break;
      case "M":
        if (n >= 3) group("[A-Za-z]+", "monthName");
        else group(n === 2 ? "\\d{2}" : "\\d{1,2}", "month");
        break;
      case "d":
        group(n === 2 ? "\\d{2}" : "\\d{1,2}", "day");
        break;
      case "H":
        group(n === 2 ? "\\d{2}" : "\\d{1,2}", "hour");
        break;
      case "h":
        group(n === 2 ? "\\d{2}" : "\\d{1,2}", "hour12");
        break;
      case "a":
        group("[AaPp][Mm]", "ampm");
        break;
      case "m":
        group(n === 2 ? "\\d{2}" : "\\d{1,2}", "minute");
        break;
      case "s":
        group(n === 2 ? "\\d{2}" : "\\d{1,2}", "second");
        break;
      case "S":
        // Go's `.000`: the dot belongs to the fraction.
        group(`\\.\\d{1,${Math.max(n, 9)}}`, "fraction");
        break;
      case "E":
        group("[A-Za-z]+", "skip");
        break;
      case "Z":
      case "X":
        group("Z|[+-]\\d{2}(?::?\\d{2})?", "offset");
        break;
      default:
        if (/[A-Za-z]/.test(c)) {
          throw new EvalError(`invalid time format ${pattern}: unsupported letter ${c}`);
        }
        re += escape(chars.slice(i, i + n).join(""));
    }
    i += n;
  }
  const compiled = { regex: new RegExp(`^${re}$`), slots };
  if (cache.size >= 64) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/** Epoch milliseconds of `text` read with `pattern`; throws an EvalError when it does not fit. */
export function parseTime(text: string, pattern: string, tz: string = getTimezone()): number {
  const { regex, slots } = compile(pattern);
  const m = regex.exec(text.trim());
  if (!m) throw new EvalError(`cannot parse ${JSON.stringify(text)} with format ${pattern}`);
  let year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  slots.forEach((slot, i) => {
    const v = m[i + 1];
    switch (slot) {
      case "year":
        year = Number(v);
        break;
      case "year2":
        year = 2000 + Number(v);
        break;
      case "month":
        month = Number(v);
        break;
      case "monthName": {
        const k = MONTHS.findIndex((name) => name.startsWith(v.toLowerCase()));
        if (k < 0) throw new EvalError(`unknown month ${v}`);
        month = k + 1;
        break;
      }
      case "day":
        day = Number(v);
        break;
      case "hour":
      case "hour12":
        hour = Number(v);
        break;
      case "ampm":
        pm = v.toLowerCase() === "pm";
        break;
      case "minute":
        minute = Number(v);
        break;
      case "second":
        second = Number(v);
        break;
      case "fraction":
        millis = Math.floor(Number(`0${v}`) * 1000);
        break;
      case "offset": {
        if (v === "Z") offset = 0;
        else {
          const digits = v.replace(":", "");
          const sign = digits[0] === "-" ? -1 : 1;
          offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || "0"));
        }
        break;
      }
    }
  });
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new EvalError(`cannot parse ${JSON.stringify(text)} with format ${pattern}`);
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (offset !== undefined) return wall - offset * 60_000;
  if (tz === "UTC") return wall;
  // Wall-clock time in a zone: correct by the zone's offset at that instant (twice, for DST).
  let ms = wall - fields(wall, tz).offset * 60_000;
  ms = wall - fields(ms, tz).offset * 60_000;
  return ms;
}
