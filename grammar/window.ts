/**
 * Window calls in GROUP BY (SPEC §5.1). The expression grammar parses `TUMBLINGWINDOW(ss, 10)`
 * like any call (time units are accepted as arguments of window-named calls only); GROUP BY then
 * turns its top-level window calls into {@link WindowExpr} nodes, checking their arguments.
 * A window call anywhere else stays an ordinary Call for the analyser to reject.
 *
 * @module
 */

import type { CallExpr, Expr, WindowExpr, WindowType } from "../src/sql/ast.ts";
import { abort } from "./errors.ts";
import { prune } from "./lexeme.ts";
import { TIME_UNITS } from "./keywords.ts";

interface WindowSpec {
  type: WindowType;
  /** Parameter names, for messages; the first `required` ones are mandatory. */
  params: string[];
  required: number;
  /** Time windows take a time unit first, then integer lengths. */
  timed: boolean;
}

const WINDOWS: Record<string, WindowSpec> = {
  tumblingwindow: { type: "TUMBLING_WINDOW", params: ["unit", "length"], required: 2, timed: true },
  hoppingwindow: {
    type: "HOPPING_WINDOW",
    params: ["unit", "length", "hop"],
    required: 3,
    timed: true,
  },
  slidingwindow: {
    type: "SLIDING_WINDOW",
    params: ["unit", "length", "delay"],
    required: 2,
    timed: true,
  },
  sessionwindow: {
    type: "SESSION_WINDOW",
    params: ["unit", "length", "timeout"],
    required: 3,
    timed: true,
  },
  countwindow: { type: "COUNT_WINDOW", params: ["count", "interval"], required: 1, timed: false },
  statewindow: {
    type: "STATE_WINDOW",
    params: ["beginCondition", "emitCondition"],
    required: 1,
    timed: false,
  },
};

/** True for the (lower-case) names of window functions. */
export function isWindowName(name: string): boolean {
  return Object.hasOwn(WINDOWS, name);
}

/** The function name (lower-case) of a window type, e.g. `tumblingwindow`. */
export function windowFunctionName(type: WindowType): string {
  return Object.keys(WINDOWS).find((n) => WINDOWS[n].type === type)!;
}

/** Converts the top-level window calls of a GROUP BY list; at most one is allowed. */
export function convertGroupBy(items: Expr[]): Expr[] {
  let window: WindowExpr | undefined;
  return items.map((item) => {
    if (item.kind !== "Call" || !isWindowName(item.name)) return item;
    if (window) {
      abort(
        item.span.start,
        `GROUP BY can only have one window, found ${item.name} after ${
          windowFunctionName(window.windowType)
        }`,
      );
    }
    return window = toWindow(item);
  });
}

/** Checks a window call's arguments (SPEC §5.1) and turns it into a WindowExpr. */
export function toWindow(call: CallExpr): WindowExpr {
  const spec = WINDOWS[call.name];
  checkArity(call, spec);
  call.args.forEach((arg, n) => checkArgument(call, spec, arg, n));
  if (spec.type === "COUNT_WINDOW") checkCountInterval(call.args);
  const partitionBy = call.over?.partitionBy;
  return prune({
    kind: "Window",
    windowType: spec.type,
    args: call.args,
    filter: call.filter,
    trigger: call.over?.when,
    partitionBy: partitionBy && partitionBy.length > 0 ? partitionBy : undefined,
    span: call.span,
  });
}

function checkArity(call: CallExpr, spec: WindowSpec): void {
  const max = spec.params.length;
  if (call.args.length >= spec.required && call.args.length <= max) return;
  const count = spec.required === max ? `${max}` : `${spec.required} to ${max}`;
  const signature = spec.params.slice(0, spec.required).join(", ") +
    spec.params.slice(spec.required).map((p) => `[, ${p}]`).join("");
  abort(
    call.span.start,
    `${call.name}(${signature}) takes ${count} arguments but got ${call.args.length}`,
  );
}

function checkArgument(call: CallExpr, spec: WindowSpec, arg: Expr, n: number): void {
  const what = `the ${ordinal(n + 1)} argument (${spec.params[n]}) of ${call.name}`;
  if (spec.timed && n === 0) {
    if (arg.kind !== "TimeUnitLiteral") {
      abort(arg.span.start, `${what} must be a time unit: ${TIME_UNITS.join(", ")}`);
    }
  } else if (spec.timed || spec.type === "COUNT_WINDOW") {
    const minimum = spec.params[n] === "delay" ? 0 : 1;
    if (arg.kind !== "IntegerLiteral" || arg.value < minimum) {
      const sign = minimum === 0 ? "non-negative" : "positive";
      abort(arg.span.start, `${what} must be a ${sign} integer literal`);
    }
  } else if (arg.kind === "TimeUnitLiteral" || arg.kind === "Wildcard") {
    abort(arg.span.start, `${what} must be a condition`);
  }
}

/** `COUNTWINDOW(n, m)`: m <= n, with eKuiper's message. */
function checkCountInterval(args: Expr[]): void {
  const [n, m] = args;
  if (m?.kind === "IntegerLiteral" && n.kind === "IntegerLiteral" && m.value > n.value) {
    abort(
      m.span.start,
      `The second parameter value ${m.value} should be less than the first parameter ${n.value}.`,
    );
  }
}

function ordinal(n: number): string {
  return `${n}${["th", "st", "nd", "rd"][n] ?? "th"}`;
}
