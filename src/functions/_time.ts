/**
 * Time helpers of the date/time and conversion functions: the process time zone (eKuiper's
 * `basic.timezone`), wall-clock fields of an instant in a zone, reading datetime arguments,
 * and eKuiper's Java-like `format_time` patterns.
 *
 * @module
 */
import { readlinkSync } from "node:fs";
import process from "node:process";
import { EvalError } from "../expr/types.ts";
import { toEpochMs, typed } from "../expr/values.ts";

let zone = "UTC";

/** Sets the zone the date/time functions print in (IANA name, `UTC` or `Local`); the config
 * loader calls it with `basic.timezone`. Throws for an unknown zone. */
export function setTimezone(tz: string): void {
  zone = resolveZone(tz);
}

export function getTimezone(): string {
  return zone;
}

/** Names of UTC itself, as `TZ` or the /etc/localtime link may spell it. */
const UTC_NAMES = new Set(["UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "Greenwich"]);

/**
 * Whether the host runs on UTC, as the C library decides: `TZ` (empty means UTC), else the
 * /etc/localtime link, and UTC when there is neither. Read by hand because asking ICU
 * (`Intl.DateTimeFormat()`) maps its locale and zone data, ~6 MB of RSS that a Weir on a UTC
 * host (the common edge case) never needs. False when unsure: ICU then decides.
 */
export function hostIsUtc(
  tzEnv: string | undefined,
  localtimeLink: () => string | null | undefined,
): boolean {
  let name = tzEnv;
  if (name === undefined) {
    const link = localtimeLink();
    if (link === null) return true;
    if (link === undefined) return false;
    name = link;
  }
  name = name.replace(/^:/, "").replace(/^.*zoneinfo\//, "").replace(/^Etc\//, "");
  return name === "" || UTC_NAMES.has(name);
}

/** The /etc/localtime link's target; undefined when it is a plain file; null when absent. */
function localtimeLink(): string | null | undefined {
  try {
    return readlinkSync("/etc/localtime");
  } catch (e) {
    return (e as { code?: string }).code === "ENOENT" ? null : undefined;
  }
}

/** An IANA zone name checked against the runtime's database; `Local` is the host's zone. */
export function resolveZone(tz: string): string {
  if (tz === "" || tz === "UTC") return "UTC";
  if (tz === "Local") {
    if (hostIsUtc(process.env.TZ, localtimeLink)) return "UTC";
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    throw new EvalError(`unknown time zone ${tz}`);
  }
  return tz;
}

/** Wall-clock fields of an instant in a zone. `weekday` is 0 for Sunday. */
export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number;
  /** Minutes east of UTC. */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

export function fields(ms: number, tz: string = zone): Fields {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new EvalError(`invalid time ${ms}`);
  const millis = ((ms % 1000) + 1000) % 1000;
  if (tz === "UTC") {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millis,
      weekday: d.getUTCDay(),
      offset: 0,
    };
  }
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(d)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, millis);
  return {
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    millis,
    weekday: new Date(wall).getUTCDay(),
    offset: Math.round((wall - ms) / 60000),
  };
}

/**
 * A datetime that keeps the zone it is shown in (`convert_tz`), as a Go `time.Time` keeps its
 * location: its text (JSON, string conversion) is RFC 3339 in that zone with its offset
 * (`2023-11-15T06:13:20+08:00`), and the date/time functions read its wall clock there.
 */
export class ZonedDate extends Date {
  constructor(ms: number, readonly zone: string) {
    super(ms);
  }

  override toISOString(): string {
    const ms = this.getTime();
    const f = fields(ms, this.zone);
    const frac = f.millis === 0 ? "" : `.${pad(f.millis, 3).replace(/0+$/, "")}`;
    return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${
      pad(f.second)
    }${frac}${f.offset === 0 ? "Z" : offsetText(f.offset, 3)}`;
  }

  override toJSON(): string {
    return this.toISOString();
  }
}

/** The zone a datetime value is read in: its own (convert_tz), else the process zone. */
export function zoneOf(v: unknown): string {
  return v instanceof ZonedDate ? v.zone : zone;
}

/** Epoch ms of a datetime argument: a Date, epoch ms, or a parseable string. */
export function timeArg(v: unknown): number {
  const ms = toEpochMs(v);
  if (ms === undefined || Number.isNaN(ms)) {
    throw new EvalError(`cannot convert ${typed(v)} to time`);
  }
  return ms;
}

export const DAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `±hh`, `±hhmm` or `±hh:mm` (Go's `-07`, `-0700`, `-07:00`: UTC prints as +00). */
function offsetText(minutes: number, form: 1 | 2 | 3): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  const hh = `${sign}${pad(Math.floor(m / 60))}`;
  return form === 1 ? hh : form === 2 ? `${hh}${pad(m % 60)}` : `${hh}:${pad(m % 60)}`;
}

function zoneAbbreviation(ms: number, tz: string): string {
  if (tz === "UTC") return "UTC";
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "short" })
    .formatToParts(new Date(ms));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? tz;
}

/**
 * How eKuiper reads each pattern letter (`cast.convertFormat`): the longest run it looks at
 * (`max`), and the field a run of n letters prints, or undefined when that length prints
 * nothing. `invalid` runs are errors.
 */
interface Letter {
  max: number;
  print(n: number, f: Fields, ms: number, tz: string): string | undefined;
  invalid?: (n: number) => string | undefined;
}

const LETTERS: Record<string, Letter> = {
  G: { max: 1, print: () => "AD" },
  Y: {
    max: 5,
    print: (n, f) => (n === 4 ? pad(f.year, 4) : pad(f.year % 100)),
    invalid: (n) => (n === 4 || n === 2 ? undefined : "for Y/y"),
  },
  M: {
    max: 5,
    print: (n, f) =>
      n === 1
        ? String(f.month)
        : n === 2
        ? pad(f.month)
        : n === 3
        ? MONTH_NAMES[f.month - 1].slice(0, 3)
        : n === 4
        ? MONTH_NAMES[f.month - 1]
        : undefined,
  },
  d: {
    max: 3,
    print: (n, f) => (n === 1 ? String(f.day) : n === 2 ? pad(f.day) : undefined),
  },
  E: {
    max: 5,
    print: (n, f) => (n === 3 ? DAY_NAMES[f.weekday].slice(0, 3) : DAY_NAMES[f.weekday]),
    invalid: (n) => (n === 3 || n === 4 ? undefined : "for E"),
  },
  H: {
    max: 3,
    print: (_n, f) => pad(f.hour),
    invalid: (n) => (n === 2 ? undefined : "of H, only HH is supported"),
  },
  h: {
    max: 3,
    print: (n, f) => {
      const h = f.hour % 12 === 0 ? 12 : f.hour % 12;
      return n === 1 ? String(h) : n === 2 ? pad(h) : undefined;
    },
  },
  a: { max: 1, print: (_n, f) => (f.hour < 12 ? "AM" : "PM") },
  m: {
    max: 3,
    print: (n, f) => (n === 1 ? String(f.minute) : n === 2 ? pad(f.minute) : undefined),
  },
  s: {
    max: 3,
    print: (n, f) => (n === 1 ? String(f.second) : n === 2 ? pad(f.second) : undefined),
  },
  // A run of S is Go's `.000`: the dot is part of it (`ssSSS` prints `20.123`).
  S: {
    max: Infinity,
    print: (n, f) => `.${pad(f.millis, 3).slice(0, Math.min(n, 3)).padEnd(n, "0")}`,
  },
  z: { max: 1, print: (_n, _f, ms, tz) => zoneAbbreviation(ms, tz) },
  Z: { max: 1, print: (_n, f) => offsetText(f.offset, 2) },
  X: {
    max: 4,
    print: (n, f) => (n >= 1 && n <= 3 ? offsetText(f.offset, n as 1 | 2 | 3) : undefined),
  },
};
LETTERS.y = LETTERS.Y;

/** A pattern split into literal text and letter runs (`yyyy` -> ["y", 4]). */
type Token = string | readonly [Letter, number];

const patterns = new Map<string, Token[]>();

/** Splits a pattern as eKuiper's converter does; throws an EvalError with its messages. */
function tokenize(pattern: string): Token[] {
  let tokens = patterns.get(pattern);
  if (tokens) return tokens;
  tokens = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length;) {
    const c = chars[i];
    if (c === "\\") {
      if (i + 1 >= chars.length) throw new EvalError(`${pattern} is invalid`);
      tokens.push(chars[i + 1]);
      i += 2;
      continue;
    }
    if (c === "'") {
      // '' is a quote; 'text' is literal text (an unterminated one runs to the end).
      if (chars[i + 1] === "'") {
        tokens.push("'");
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < chars.length && chars[j] !== "'") j++;
      tokens.push(chars.slice(i + 1, j).join(""));
      i = j + 1;
      continue;
    }
    const letter = LETTERS[c];
    if (!letter) {
      tokens.push(c);
      i++;
      continue;
    }
    let n = 1;
    while (i + n < chars.length && n < letter.max && chars[i + n] === c) n++;
    const why = letter.invalid?.(n);
    if (why) throw new EvalError(`invalid time format ${pattern} ${why}`);
    tokens.push([letter, n]);
    i += n;
  }
  if (patterns.size >= 256) patterns.clear();
  patterns.set(pattern, tokens);
  return tokens;
}

/**
 * Formats an instant with eKuiper's Java-like pattern (`yyyy-MM-dd HH:mm:ssSSS`): see
 * {@link LETTERS}; a backslash makes the next character literal, `'text'` is literal text,
 * other characters are copied. Patterns are split once and cached (they are nearly always
 * literals).
 */
export function formatTime(ms: number, pattern: string, tz: string = zone): string {
  const tokens = tokenize(pattern);
  const f = fields(ms, tz);
  let out = "";
  for (const t of tokens) out += typeof t === "string" ? t : t[0].print(t[1], f, ms, tz) ?? "";
  return out;
}

/** `YYYY-MM-DD HH:mm:ss`, with `fsp` fraction digits (0..6; below milliseconds they are 0). */
export function dateTimeText(ms: number, fsp = 0, tz: string = zone): string {
  const f = fields(ms, tz);
  const base = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${
    pad(f.second)
  }`;
  if (fsp <= 0) return base;
  return `${base}.${(pad(f.millis, 3) + "000").slice(0, fsp)}`;
}

export function dateText(ms: number, tz: string = zone): string {
  const f = fields(ms, tz);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
}

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "\u03bcs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's `time.ParseDuration` (`-1h30m10s100ms200us300ns`), in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== "0") throw new EvalError(`time: invalid duration "${text}"`);
  if (text === "0") return 0;
  let ns = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g)) {
    ns += Number(part[1]) * UNIT_NS[part[2]];
  }
  return (m![1] === "-" ? -ns : ns) / 1e6;
}
