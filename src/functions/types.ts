/**
 * The contract of SQL functions.
 *
 * A function is a {@link FunctionDef}: a typed object literal in one family table
 * (`math.ts`, `string.ts`, ...), merged by `mod.ts` into {@link FunctionRegistry}. It follows
 * eKuiper's `builtinFunc{fType, exec, val, check}`: `kind` is the function type, `validate` the
 * compile-time literal check, `nullPolicy` the nil check and `exec` the body.
 *
 * @example A scalar function
 * ```ts
 * import type { FunctionDef } from "./types.ts";
 *
 * const twice: FunctionDef = {
 *   name: "twice",
 *   kind: "scalar",
 *   minArgs: 1,
 *   maxArgs: 1,
 *   returnType: ([t]) => (t === "bigint" ? "bigint" : "float"),
 *   nullPolicy: "nil",
 *   exec: ([x]) => (x as number) * 2,
 * };
 * ```
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { EvalContext, ValueType } from "../expr/types.ts";

/**
 * - `scalar`: one value per row.
 * - `aggregate`: one value per group; see {@link FunctionDef.exec}.
 * - `analytic`: stateful per rule (`lag`, `acc_sum`), evaluated before WHERE.
 * - `window`: over a result set (`row_number`).
 * - `srf`: set-returning, one row per element (`unnest`).
 * - `cols`: returns several columns, merged into the output row (`extract`, `changed_cols`).
 */
export type FunctionKind = "scalar" | "aggregate" | "analytic" | "window" | "srf" | "cols";

/**
 * What a call returns, without running `exec`, when an argument is nil. eKuiper's nil check
 * also treats an empty array or empty object as nil (a quirk kept for compatibility).
 * - `nil`: returns null. - `false`: returns false. - `zero`: returns 0.
 * - `custom`: `exec` sees the nulls and decides.
 */
export type NullPolicy = "nil" | "false" | "zero" | "custom";

export interface FunctionDef {
  /** Lowercase SQL name; equals its key in the family table. */
  name: string;
  kind: FunctionKind;
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  /**
   * Compile-time check of the argument expressions, called once arity is known to be right.
   * Only literals can be judged (`abs("a")`, `cast(x, "money")`); returns eKuiper's message
   * (e.g. `Expect string type for parameter 2`) or undefined when fine.
   */
  validate?(args: readonly Expr[]): string | undefined;
  /** Static result type, or a function of the argument types (and expressions, so that
   * `cast(x, "bigint")` can read its literal target). */
  returnType: ValueType | ((argTypes: ValueType[], args: readonly Expr[]) => ValueType);
  nullPolicy: NullPolicy;
  /**
   * The body. Scalar functions get one value per argument; aggregates get, per declared
   * argument, the array of that argument's values over the rows of the group (eKuiper's
   * convention), `count(*)` getting one non-null entry per row.
   *
   * Throws an EvalError (or any Error) for bad input; the caller wraps it as
   * `call func <name> error: <message>`. The `args` array is reused between calls: copy it
   * before keeping it.
   */
  exec(args: unknown[], ctx: EvalContext): unknown;
  /**
   * The fold form of an aggregate (incremental windows, checkpoints): present when the group
   * result can be computed one row at a time in constant state. Absent for aggregates that
   * need every value at once (`median`, `percentile_*`, `deduplicate`).
   */
  // deno-lint-ignore no-explicit-any
  incremental?: Accumulator<any>;
  /** Per-partition state machine of an analytic function (`lag`, `acc_sum`); see
   * `src/expr/analytic.ts`, which keeps one state per `PARTITION BY` key. */
  // deno-lint-ignore no-explicit-any
  analytic?: AnalyticImpl<any>;
  /** Result depends on more than the arguments (time, randomness, the rule): never folded
   * into a constant at compile time. */
  volatile?: boolean;
  /**
   * eKuiper's implicit state functions (`last_hit_count`, `last_agg_hit_time`, ...): the count
   * of hits or the time of the last one, kept per call site. Compiled by `src/expr/hit.ts`,
   * not through `exec`.
   */
  hit?: "count" | "time";
  /** Loads a library the body needs (the image codecs) before a rule calling it starts; see
   * `preload.ts`. Most functions need nothing. */
  load?(): Promise<void>;
}

/**
 * An aggregate folded one row at a time. The state is plain JSON data (numbers, strings,
 * arrays, objects) so that a window can checkpoint it as it is.
 *
 * @example Folding `sum` over three rows
 * ```ts ignore
 * const acc = def.incremental!;
 * let s = acc.init();
 * for (const v of [1, 2, 3]) s = acc.add(s, [v]);
 * acc.result(s); // 6
 * ```
 */
export interface Accumulator<S> {
  init(): S;
  /** Folds one row's argument values (one per declared argument) in; may mutate and return
   * `state`. Throws an EvalError for a value of the wrong type. */
  add(state: S, args: readonly unknown[]): S;
  result(state: S): unknown;
  /** Combines two partial states (panes of a hopping window); absent when not mergeable. */
  merge?(a: S, b: S): S;
}

/**
 * An analytic function's per-partition state machine. `step` gets this event's argument
 * values and whether the event is valid (`OVER (WHEN ...)` true, or no WHEN); an invalid event
 * leaves the state as it is and returns the previous result, as eKuiper does. The state is
 * plain JSON data, mutated in place.
 */
export interface AnalyticImpl<S> {
  init(): S;
  step(state: S, args: readonly unknown[], valid: boolean): unknown;
}

/** One family of functions, keyed by name. */
export type FunctionTable = Readonly<Record<string, FunctionDef>>;

export interface FunctionRegistry {
  /** Looks a function up by its lowercase name. */
  get(name: string): FunctionDef | undefined;
  names(): string[];
}
