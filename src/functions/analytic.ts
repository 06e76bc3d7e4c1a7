/**
 * Analytic functions (eKuiper `funcs_analytic.go`, `funcs_acc.go`): stateful per rule and per
 * `OVER (PARTITION BY ...)` key, evaluated for every event before WHERE. Each declares its
 * state machine ({@link AnalyticImpl}); `src/expr/analytic.ts` keeps the per-partition states
 * and feeds `step` with the argument values and the `WHEN` verdict.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { toJson, typed, valueEquals, valueToString } from "../expr/values.ts";
import { analytic } from "./_define.ts";
import { expect, intLiteral } from "./_validate.ts";
import type { AnalyticImpl, FunctionDef, FunctionTable } from "./types.ts";

/** Analytic bodies run only through their state machine. */
const stateless = (): never => {
  throw new EvalError("analytic function evaluated without its state");
};

/** eKuiper's `reflect.DeepEqual` of two values, null equal to null. */
const deepEqual = (a: unknown, b: unknown) => (a == null ? b == null : valueEquals(a, b));

/** Rejects literals that cannot be a boolean, with eKuiper's type name `boolean`. */
function boolFirst(args: readonly Expr[]): string | undefined {
  return expect(["bool"])(args)?.replace("bool type", "boolean type");
}

const typeOf = (i: number) => (types: ValueType[]): ValueType => types[i] ?? "any";

interface LagState {
  queue: unknown[] | null;
}

/** `lag(expr [, offset [, default [, ignoreNull]]])`: a queue of `offset` values, pre-filled
 * with the default; each valid event takes the oldest out and puts its value in. */
const lagImpl: AnalyticImpl<LagState> = {
  init: () => ({ queue: null }),
  step(s, args, valid) {
    const [v, offset, dflt, ignoreNull] = args;
    if (s.queue === null) {
      let size = 1;
      if (args.length > 1) {
        if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
          throw new EvalError(`error converting second arg ${typed(offset)} to int`);
        }
        size = offset;
      }
      s.queue = new Array(size).fill(args.length > 2 ? dflt ?? null : null);
    }
    const q = s.queue;
    if (!valid || (ignoreNull === true && v == null)) return q.length ? q[0] : null;
    if (q.length === 0) return v ?? null;
    const out = q.shift();
    q.push(v ?? null);
    return out ?? null;
  },
};

/** `latest(expr [, default])`: the latest non-null value seen. */
const latestImpl: AnalyticImpl<{ v: unknown }> = {
  init: () => ({ v: null }),
  step(s, [v, dflt], valid) {
    if (valid && v != null) {
      s.v = v;
      return v;
    }
    return s.v ?? dflt ?? null;
  },
};

/** `changed_col(ignoreNull, expr)`: the value when it differs from the last one kept. */
const changedColImpl: AnalyticImpl<{ last: unknown }> = {
  init: () => ({ last: null }),
  step(s, [ignoreNull, v], valid) {
    if (typeof ignoreNull !== "boolean") {
      throw new EvalError(`first arg is not a bool but got ${typed(ignoreNull)}`);
    }
    if ((ignoreNull && v == null) || !valid) return null;
    if (deepEqual(v, s.last)) return null;
    s.last = v ?? null;
    return v ?? null;
  },
};

/** `had_changed(ignoreNull, expr, ...)`: whether any argument differs from its last value. */
const hadChangedImpl: AnalyticImpl<{ last: unknown[] }> = {
  init: () => ({ last: [] }),
  step(s, args, valid) {
    if (!valid) return false;
    const ignoreNull = args[0];
    if (typeof ignoreNull !== "boolean") {
      throw new EvalError(`first arg is not a bool but got ${typed(ignoreNull)}`);
    }
    let changed = false;
    for (let i = 1; i < args.length; i++) {
      const v = args[i];
      if (ignoreNull && v == null) continue;
      if (!deepEqual(v, s.last[i - 1] ?? null)) {
        changed = true;
        s.last[i - 1] = v ?? null;
      }
    }
    return changed;
  },
};

/** The state of the `acc_*` family: the running value and the begin/reset latch. */
interface AccState<V> {
  begun: boolean;
  value: V;
}

interface AccOps<V> {
  /** How many leading arguments are values (1, or 2 for the `_by` and map forms). */
  values?: number;
  empty(): V;
  /** Folds one event in (its first value argument is not null). */
  add(value: V, v: unknown, second: unknown): V;
  result(value: V): unknown;
}

function accNumber(v: unknown, name: string): number {
  if (typeof v !== "number") throw new EvalError(`${name} value should be number, got ${typed(v)}`);
  return v;
}

/**
 * The `acc_*` protocol: with `(expr)` a valid event folds its value in; with
 * `(expr, beginCond, resetCond)` nothing is kept until `beginCond` is true, and `resetCond`
 * ends the run after this event (the next event starts from empty).
 */
function accImpl<V>(name: string, ops: AccOps<V>): AnalyticImpl<AccState<V>> {
  const k = ops.values ?? 1;
  return {
    init: () => ({ begun: false, value: ops.empty() }),
    step(s, args, valid) {
      const v = args[0];
      const fold = () => {
        // The `_by` forms judge the event by their second argument, the others by the value.
        if (valid && (k === 2 || v != null)) s.value = ops.add(s.value, v, args[1]);
      };
      if (args.length === k) {
        fold();
        return ops.result(s.value);
      }
      const begin = args[k], reset = args[k + 1];
      if (typeof begin !== "boolean" || typeof reset !== "boolean") {
        throw new EvalError(`${name} conditions should be boolean`);
      }
      if (!s.begun) s.value = ops.empty();
      if (begin) s.begun = true;
      if (s.begun) fold();
      if (reset) s.begun = false;
      return ops.result(s.value);
    },
  };
}

function accArity(k: number) {
  return (args: readonly Expr[]) =>
    args.length === k || args.length === k + 2
      ? undefined
      : `Expect ${k}/${k + 2} arguments but found ${args.length}.`;
}

function acc<V>(name: string, returnType: FunctionDef["returnType"], ops: AccOps<V>) {
  return analytic(name, {
    args: [0, Infinity],
    validate: accArity(ops.values ?? 1),
    returnType,
    nullPolicy: "custom",
    analytic: accImpl(name, ops),
    exec: stateless,
  });
}

const accSum: AccOps<number> = {
  empty: () => 0,
  add: (a, v) => a + accNumber(v, "acc_sum"),
  result: (a) => a,
};

function accExtreme(name: string, sign: 1 | -1): AccOps<number | null> {
  return {
    empty: () => null,
    add: (a, v) => {
      const x = accNumber(v, name);
      return a === null || (sign > 0 ? x > a : x < a) ? x : a;
    },
    result: (a) => a ?? 0,
  };
}

const accAvg: AccOps<{ sum: number; n: number }> = {
  empty: () => ({ sum: 0, n: 0 }),
  add: (a, v) => ({ sum: a.sum + accNumber(v, "acc_avg"), n: a.n + 1 }),
  result: (a) => (a.n === 0 ? 0 : a.sum / a.n),
};

const accCount: AccOps<number> = { empty: () => 0, add: (a) => a + 1, result: (a) => a };

const accCollect: AccOps<unknown[]> = {
  empty: () => [],
  add: (a, v) => {
    a.push(v);
    return a;
  },
  result: (a) => a.slice(),
};

const accDistinctCollect: AccOps<unknown[]> = {
  ...accCollect,
  add: (a, v) => {
    const k = toJson(v);
    if (!a.some((e) => toJson(e) === k)) a.push(v);
    return a;
  },
};

/** `acc_max_by(value, by)` / `acc_min_by`: the value of the event with the largest (smallest)
 * `by` so far; on a tie the later event wins. The first argument may be null, `by` may not. */
function accBy(name: string, sign: 1 | -1): AccOps<{ value: unknown; by: number } | null> {
  return {
    values: 2,
    empty: () => null,
    add: (a, v, by) => {
      if (by == null) return a;
      if (typeof by !== "number") {
        throw new EvalError(`${name} compare_value should be number, got ${typed(by)}`);
      }
      if (Number.isNaN(by)) return a;
      return a === null || (sign > 0 ? by >= a.by : by <= a.by) ? { value: v, by } : a;
    },
    result: (a) => a?.value ?? null,
  };
}

/** `acc_map_agg(key, value)`: the latest value per key, keys in first-seen order, as
 * `[{key, value}]`. */
const accMapAgg: AccOps<[string, unknown][]> = {
  values: 2,
  empty: () => [],
  add: (a, k, v) => {
    if (k == null) return a;
    const key = typeof k === "string" ? k : valueToString(k);
    const e = a.find((x) => x[0] === key);
    if (e) e[1] = v ?? null;
    else a.push([key, v ?? null]);
    return a;
  },
  result: (a) => a.map(([key, value]) => ({ key, value })),
};

export const analyticFunctions: FunctionTable = {
  lag: analytic("lag", {
    args: [0, Infinity],
    validate: (args) => {
      const n = args.length;
      if (n < 1 || n > 4) return `expect one two or three args but got ${n}`;
      if (n >= 2) {
        const off = args[1];
        if (off.kind === "FieldRef" || expect(["int"])([off])) {
          return "Expect int type for parameter 2";
        }
        const v = intLiteral(off);
        if (v !== undefined && v < 0) return "the index should not be a nagtive integer";
      }
      return n === 4 ? expect(["any", "any", "any", "bool"])(args) : undefined;
    },
    returnType: typeOf(0),
    nullPolicy: "custom",
    analytic: lagImpl,
    exec: stateless,
  }),
  latest: analytic("latest", {
    args: [0, Infinity],
    validate: (args) =>
      args.length === 1 || args.length === 2
        ? undefined
        : `expect one or two args but got ${args.length}`,
    returnType: typeOf(0),
    nullPolicy: "custom",
    analytic: latestImpl,
    exec: stateless,
  }),
  changed_col: analytic("changed_col", {
    args: 2,
    validate: boolFirst,
    returnType: typeOf(1),
    nullPolicy: "custom",
    analytic: changedColImpl,
    exec: stateless,
  }),
  had_changed: analytic("had_changed", {
    args: [0, Infinity],
    validate: (args) =>
      args.length <= 1 ? `expect more than one arg but got ${args.length}` : boolFirst(args)
        ?.replace("boolean type", "bool type"),
    returnType: "boolean",
    nullPolicy: "custom",
    analytic: hadChangedImpl,
    exec: stateless,
  }),
  acc_sum: acc("acc_sum", "float", accSum),
  acc_min: acc("acc_min", "float", accExtreme("acc_min", -1)),
  acc_max: acc("acc_max", "float", accExtreme("acc_max", 1)),
  acc_avg: acc("acc_avg", "float", accAvg),
  acc_count: acc("acc_count", "bigint", accCount),
  acc_collect: acc("acc_collect", "array", accCollect),
  acc_distinct_collect: acc("acc_distinct_collect", "array", accDistinctCollect),
  acc_max_by: acc("acc_max_by", typeOf(0), accBy("acc_max_by", 1)),
  acc_min_by: acc("acc_min_by", typeOf(0), accBy("acc_min_by", -1)),
  acc_map_agg: acc("acc_map_agg", "array", accMapAgg),
};
