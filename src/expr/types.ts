/**
 * The contract of compiled expressions.
 *
 * An expression is compiled once, at rule start, into a closure `(tuple, ctx) => value`; the hot
 * path never walks the AST. Values are plain JavaScript values: numbers, strings, booleans,
 * arrays, objects, Uint8Array (bytea) and `null` (a missing field reads as null).
 *
 * Integer versus float semantics (eKuiper's int64/float64) are a *static* property: every
 * compiled expression carries a {@link ValueType} derived from literals, typed stream columns
 * and function signatures. `7 / 2` is `3` because both sides are statically `bigint`; schemaless
 * JSON fields are `float` like eKuiper's decoder makes them. This keeps numbers unboxed at run time.
 *
 * @module
 */
import type { CallExpr, FieldRef, Span } from "../sql/ast.ts";
import type { Tuple } from "../runtime/tuple.ts";
import type { HitSite } from "./hit.ts";

/** Static value types, eKuiper's names. `any` = unknown until run time. */
export type ValueType =
  | "bigint"
  | "float"
  | "string"
  | "boolean"
  | "datetime"
  | "bytea"
  | "array"
  | "struct"
  | "any";

/** Per-rule state and services visible to expressions and functions. */
export interface EvalContext {
  ruleId: string;
  /** Current time in epoch ms (injected so tests can control it). */
  now(): number;
  /** The window being evaluated (epoch ms, start inclusive, end exclusive); absent outside
   * window rules. `window_start()` / `window_end()` read it. */
  window?: { start: number; end: number };
  /** When the rule started (epoch ms), for `rule_start()`. */
  ruleStart?: number;
  /** Reads the keyed state store (`get_keyed_state`); undefined when the key is absent. */
  keyedState?: (key: string) => unknown;
  /** `delay(ms, v)`: holds the rule (no input, results wait) for `ms` after this turn. */
  delay?: (ms: number) => void;
}

export type Evaluator = (tuple: Tuple, ctx: EvalContext) => unknown;

export interface CompiledExpr {
  eval: Evaluator;
  type: ValueType;
  /** Set when the expression is exactly the message's column of this name (missing: null), so
   * that set-at-a-time code can read a column of rows instead (`RowColumns`). */
  column?: string;
  /** Set on `*` as an aggregate argument: the row's whole message. */
  wholeRow?: true;
}

/** How field references are resolved; supplied by the planner, which knows the plan shape. */
export interface CompileScope {
  /** Returns the accessor and static type of a column, or throws a CompileError. */
  field(ref: FieldRef): CompiledExpr;
  /**
   * Supplies the result of an aggregate call (`avg(a)`, `count(*)`) where one is legal: the
   * planner computes aggregates per group and hands back an accessor for the current group's
   * value. Absent (scalar contexts such as a plain WHERE), aggregate calls are a CompileError.
   */
  aggregate?(call: CallExpr): CompiledExpr;
  /**
   * Supplies the value of an analytic call (`lag(a) OVER (...)`) that the planner evaluates for
   * every event before WHERE (see `analytic.ts`). Absent, the call is compiled in place with
   * its own state.
   */
  analytic?(call: CallExpr): CompiledExpr;
  /**
   * Set while a condition (WHERE, HAVING, a sliding window's `OVER (WHEN ...)`) is compiled: its
   * `last_hit_*` calls only read their state, and the planner records a hit when the whole
   * condition is true (see `hit.ts`). Absent, each evaluation reads and records.
   */
  hitSite?: HitSite;
  /**
   * Names everything `field()` depends on (the stream, its alias, its schema): expressions that
   * keep no state, compiled in scopes with the same key, are compiled once and shared across
   * rules (`shared_compile.ts`). A scope that wraps another and changes `field()` must set its
   * own. Absent, nothing is shared.
   */
  shareKey?: string;
}

/** An error found while compiling (unknown function, bad arity, bad literal argument). */
export class CompileError extends Error {
  constructor(message: string, readonly span?: Span) {
    super(message);
    this.name = "CompileError";
  }
}

/** A per-record evaluation error (type mismatch, division by zero, index out of range).
 * Operators catch it, count it in `exceptions_total`, and go on with the next record. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvalError";
  }
}
