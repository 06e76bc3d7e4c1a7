/**
 * Date and time functions (eKuiper `funcs_datetime.go`). Dates are read from a datetime, epoch
 * milliseconds or a parseable string; results that are dates are strings in the configured
 * zone (`basic.timezone`, see `_time.ts`), parts (`hour`, `month`) are integers.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import { EvalError } from "../expr/types.ts";
import { toInt, valueToString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect, intLiteral } from "./_validate.ts";
import {
  dateText,
  dateTimeText,
  DAY_NAMES,
  fields,
  formatTime,
  getTimezone,
  MONTH_NAMES,
  pad,
  parseDuration,
  timeArg,
  zoneOf,
} from "./_time.ts";
import type { FunctionDef, FunctionTable } from "./types.ts";

const DAY_MS = 86_400_000;

/** Fraction digits; out of 0..6 means none, as in eKuiper. */
function fsp(args: unknown[]): number {
  if (args.length === 0 || args[0] == null) return 0;
  const n = toInt(args[0]);
  return n >= 1 && n <= 6 ? n : 0;
}

/** `fsp` must be an integer literal (eKuiper's `validFspArgs`). */
function fspArgs(args: readonly Expr[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args.length > 1) return "too many arguments";
  return intLiteral(args[0]) === undefined ? "Expect int type for parameter 1" : undefined;
}

/** A literal number, string or boolean is not a datetime (eKuiper checks only literals). */
function notDatetime(e: Expr): boolean {
  return e.kind === "StringLiteral" || expect(["string"])([e]) !== undefined;
}

/** Parameters that must be datetimes, by index; eKuiper names the parameter `label`. */
function datetimeArgs(indexes: number[], label = (i: number) => i + 1) {
  return (args: readonly Expr[]): string | undefined => {
    for (const i of indexes) {
      if (args[i] && notDatetime(args[i])) {
        return `Expect datetime type for parameter ${label(i)}`;
      }
    }
    return undefined;
  };
}

const oneDatetime = datetimeArgs([0]);

function nowFn(name: string): FunctionDef {
  return scalar(name, {
    args: [0, Infinity],
    validate: fspArgs,
    returnType: "string",
    nullPolicy: "custom",
    volatile: true,
    exec: (args, ctx) => dateTimeText(ctx.now(), fsp(args)),
  });
}

function curDate(name: string): FunctionDef {
  return scalar(name, {
    args: 0,
    returnType: "string",
    volatile: true,
    exec: (_args, ctx) => dateText(ctx.now()),
  });
}

function curTime(name: string): FunctionDef {
  return scalar(name, {
    args: [0, Infinity],
    validate: fspArgs,
    returnType: "string",
    nullPolicy: "custom",
    volatile: true,
    exec: (args, ctx) => dateTimeText(ctx.now(), fsp(args)).slice(11),
  });
}

/** A function of one date argument. */
function ofDate(
  name: string,
  type: "bigint" | "string",
  f: (ms: number, tz: string) => unknown,
) {
  return scalar(name, {
    args: 1,
    validate: oneDatetime,
    returnType: type,
    exec: ([d]) => f(timeArg(d), zoneOf(d)),
  });
}

const dayOfMonth = (ms: number, tz: string) => fields(ms, tz).day;

function dayOfYear(ms: number, tz: string): number {
  const f = fields(ms, tz);
  return (Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / DAY_MS + 1;
}

function lastDay(ms: number, tz: string): string {
  const f = fields(ms, tz);
  const last = new Date(Date.UTC(f.year, f.month, 0)).getUTCDate();
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(last)}`;
}

export const datetimeFunctions: FunctionTable = {
  now: nowFn("now"),
  current_timestamp: nowFn("current_timestamp"),
  local_time: nowFn("local_time"),
  local_timestamp: nowFn("local_timestamp"),
  cur_date: curDate("cur_date"),
  current_date: curDate("current_date"),
  cur_time: curTime("cur_time"),
  current_time: curTime("current_time"),
  format_time: scalar("format_time", {
    args: 2,
    validate: (args) => oneDatetime(args) ?? expect(["any", "string"])(args),
    returnType: "string",
    exec: ([t, pattern]) => formatTime(timeArg(t), valueToString(pattern), zoneOf(t)),
  }),
  date_calc: scalar("date_calc", {
    args: 2,
    validate: (args) =>
      oneDatetime(args) ??
        (args[1].kind === "StringLiteral" ? undefined : "Expect string type for parameter 2"),
    returnType: "string",
    exec: ([d, dur]) => dateTimeText(timeArg(d) + parseDuration(valueToString(dur)), 0, zoneOf(d)),
  }),
  // eKuiper's code, not its docs: date2 - date1 as a Go duration, in nanoseconds.
  date_diff: scalar("date_diff", {
    args: 2,
    // eKuiper reports either parameter as "parameter 1".
    validate: datetimeArgs([0, 1], () => 1),
    returnType: "bigint",
    exec: ([a, b]) => (timeArg(b) - timeArg(a)) * 1e6,
  }),
  day_name: ofDate("day_name", "string", (ms, tz) => DAY_NAMES[fields(ms, tz).weekday]),
  day_of_month: ofDate("day_of_month", "bigint", dayOfMonth),
  day: ofDate("day", "bigint", dayOfMonth),
  // Go's time.Weekday: Sunday is 0 (eKuiper's docs say 1; its code wins).
  day_of_week: ofDate("day_of_week", "bigint", (ms, tz) => fields(ms, tz).weekday),
  day_of_year: ofDate("day_of_year", "bigint", dayOfYear),
  // eKuiper's code: day 1 is 1970-01-01 (not MySQL's day count from year 0); 0 is nil.
  from_days: scalar("from_days", {
    args: 1,
    validate: expect(["int"]),
    returnType: "string",
    exec: ([n]) => {
      const days = toInt(n);
      return days === 0 ? null : dateText((days - 1) * DAY_MS);
    },
  }),
  from_unix_time: scalar("from_unix_time", {
    args: 1,
    validate: expect(["number"]),
    returnType: "string",
    exec: ([s]) => {
      if (typeof s !== "number") throw new EvalError("unix timestamp must be a number");
      const seconds = Math.trunc(s);
      return seconds === 0 ? null : dateTimeText(seconds * 1000, 0, getTimezone());
    },
  }),
  hour: ofDate("hour", "bigint", (ms, tz) => fields(ms, tz).hour),
  minute: ofDate("minute", "bigint", (ms, tz) => fields(ms, tz).minute),
  second: ofDate("second", "bigint", (ms, tz) => fields(ms, tz).second),
  microsecond: ofDate("microsecond", "bigint", (ms, tz) => fields(ms, tz).millis * 1000),
  month: ofDate("month", "bigint", (ms, tz) => fields(ms, tz).month),
  month_name: ofDate("month_name", "string", (ms, tz) => MONTH_NAMES[fields(ms, tz).month - 1]),
  last_day: ofDate("last_day", "string", lastDay),
};
