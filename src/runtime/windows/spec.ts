/**
 * The window specification: a parsed `GROUP BY` window call turned into plain numbers and
 * compiled functions, so the engine depends neither on the AST nor on the planner.
 *
 * Argument order follows eKuiper's code (SPEC §5.1): `SESSIONWINDOW(unit, maxDuration, timeout)`
 * (the second argument is the maximum duration, the third the inactivity timeout), and
 * `COUNTWINDOW(n[, m])` with m <= n.
 *
 * @module
 */
import type { Expr, TimeUnit, WindowExpr } from "../../sql/ast.ts";
import type { KeyFn, Predicate } from "./types.ts";

export type { TimeUnit };

const UNIT_MS: Record<TimeUnit, number> = {
  DD: 86_400_000,
  HH: 3_600_000,
  MI: 60_000,
  SS: 1_000,
  MS: 1,
};

/** Milliseconds in one `unit`. */
export function unitMs(unit: TimeUnit): number {
  return UNIT_MS[unit];
}

interface Common {
  /** `FILTER (WHERE ...)`: rows that do not match never enter the window. */
  filter?: Predicate;
}

/** Lengths are in `unit`s, as written; the operator converts them with {@link unitMs}. */
export type WindowSpec =
  | Common & { type: "tumbling"; unit: TimeUnit; length: number }
  | Common & { type: "hopping"; unit: TimeUnit; length: number; hop: number }
  | Common & {
    type: "sliding";
    unit: TimeUnit;
    length: number;
    delay: number;
    /** `OVER (WHEN cond)`: only matching rows trigger a window. */
    trigger?: Predicate;
  }
  | Common & { type: "session"; unit: TimeUnit; maxDuration: number; timeout: number }
  | Common & { type: "count"; size: number; interval: number }
  | Common & {
    type: "state";
    /** `STATEWINDOW(begin, emit)`; with one condition `emit` is absent. */
    begin: Predicate;
    emit?: Predicate;
    partitionBy?: KeyFn[];
  };

/** Errors in a window call that the grammar let through (e.g. from a graph rule). */
export class WindowSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WindowSpecError";
  }
}

/**
 * Builds a spec from the parsed window. `compile` turns a condition or key expression into a
 * function of a tuple (the planner binds its scope and EvalContext).
 */
export function windowSpecFromAst(w: WindowExpr, compile: (e: Expr) => Predicate): WindowSpec {
  const filter = w.filter ? { filter: compile(w.filter) } : {};
  const args = w.args;
  switch (w.windowType) {
    case "TUMBLING_WINDOW":
      return { type: "tumbling", unit: unitArg(w), length: intArg(w, 1, 1), ...filter };
    case "HOPPING_WINDOW":
      return {
        type: "hopping",
        unit: unitArg(w),
        length: intArg(w, 1, 1),
        hop: intArg(w, 2, 1),
        ...filter,
      };
    case "SLIDING_WINDOW": {
      const spec: WindowSpec = {
        type: "sliding",
        unit: unitArg(w),
        length: intArg(w, 1, 1),
        delay: args.length > 2 ? intArg(w, 2, 0) : 0,
        ...filter,
      };
      if (w.trigger) spec.trigger = compile(w.trigger);
      return spec;
    }
    case "SESSION_WINDOW":
      return {
        type: "session",
        unit: unitArg(w),
        maxDuration: intArg(w, 1, 1),
        timeout: intArg(w, 2, 1),
        ...filter,
      };
    case "COUNT_WINDOW": {
      const size = intArg(w, 0, 1);
      const interval = args.length > 1 ? intArg(w, 1, 1) : size;
      if (interval > size) {
        throw new WindowSpecError(
          `The second parameter value ${interval} should be less than the first parameter ${size}.`,
        );
      }
      return { type: "count", size, interval, ...filter };
    }
    case "STATE_WINDOW": {
      if (args.length < 1 || args.length > 2) {
        throw new WindowSpecError(`statewindow takes 1 or 2 conditions, got ${args.length}`);
      }
      const spec: WindowSpec = { type: "state", begin: compile(args[0]), ...filter };
      if (args.length === 2) spec.emit = compile(args[1]);
      if (w.partitionBy && w.partitionBy.length > 0) spec.partitionBy = w.partitionBy.map(compile);
      return spec;
    }
  }
}

function unitArg(w: WindowExpr): TimeUnit {
  const a = w.args[0];
  if (a?.kind !== "TimeUnitLiteral") {
    throw new WindowSpecError(`the first argument of a time window must be a time unit`);
  }
  return a.unit;
}

function intArg(w: WindowExpr, i: number, minimum: number): number {
  const a = w.args[i];
  if (a?.kind !== "IntegerLiteral" || !Number.isSafeInteger(a.value) || a.value < minimum) {
    throw new WindowSpecError(
      `argument ${i + 1} of the window must be an integer literal >= ${minimum}`,
    );
  }
  return a.value;
}
