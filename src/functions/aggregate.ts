/**
 * Aggregate functions (eKuiper `funcs_agg.go`). Each argument arrives as the array of its
 * per-row values over the group; nulls are ignored.
 *
 * Every aggregate that can be folded one row at a time declares its {@link Accumulator}
 * (`incremental`), and its group body is that fold run over the columns, so the batch and the
 * incremental results cannot drift apart. The variance family folds with Welford's update
 * and merges with Chan's formula. `median`, `percentile_*` and `deduplicate` need every value
 * and have no fold form.
 *
 * @module
 */
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { distinctValues, isObject, toJson, typed } from "../expr/values.ts";
import { aggregate } from "./_define.ts";
import { expect, isBoolean } from "./_validate.ts";
import type { Accumulator, FunctionDef, FunctionTable } from "./types.ts";
import type { Expr } from "../sql/ast.ts";

const oneNumber = expect(["number"]);

function number(v: unknown): number {
  if (typeof v !== "number") throw new EvalError(`requires float64 but found ${typed(v)}`);
  return v;
}

/** Runs an accumulator over the group's columns (row i = `columns[k][i]`). */
// deno-lint-ignore no-explicit-any
function foldColumns(acc: Accumulator<any>, columns: unknown[]): unknown {
  const cols = columns as unknown[][];
  const rows = cols.length === 0 ? 0 : cols[0].length;
  let state = acc.init();
  const row: unknown[] = new Array(cols.length);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < cols.length; k++) row[k] = cols[k][i];
    state = acc.add(state, row);
  }
  return acc.result(state);
}

interface FoldSpec {
  args: number | readonly [number, number];
  validate?: FunctionDef["validate"];
  returnType: FunctionDef["returnType"];
  // deno-lint-ignore no-explicit-any
  acc: Accumulator<any>;
}

/** An aggregate defined by its fold: nulls are the accumulator's business. */
function folded(name: string, spec: FoldSpec): FunctionDef {
  return aggregate(name, {
    args: spec.args,
    validate: spec.validate,
    returnType: spec.returnType,
    nullPolicy: "custom",
    incremental: spec.acc,
    exec: (columns) => foldColumns(spec.acc, columns),
  });
}

interface SumState {
  n: number;
  sum: number;
}

const sumAcc: Accumulator<SumState> = {
  init: () => ({ n: 0, sum: 0 }),
  add(s, [v]) {
    if (v == null) return s;
    s.sum += number(v);
    s.n++;
    return s;
  },
  result: (s) => (s.n === 0 ? null : s.sum),
  merge: (a, b) => ({ n: a.n + b.n, sum: a.sum + b.sum }),
};

const avgAcc: Accumulator<SumState> = {
  ...sumAcc,
  result: (s) => (s.n === 0 ? null : s.sum / s.n),
};

const countAcc: Accumulator<{ n: number }> = {
  init: () => ({ n: 0 }),
  add(s, [v]) {
    if (v != null) s.n++;
    return s;
  },
  result: (s) => s.n,
  merge: (a, b) => ({ n: a.n + b.n }),
};

/** Largest (`sign` 1) or smallest (-1) of numbers or of strings, never of a mix. */
function better(best: number | string | null, v: unknown, sign: 1 | -1): number | string | null {
  if (v == null) return best;
  if (typeof v !== "number" && typeof v !== "string") {
    throw new EvalError(`found invalid arg ${typed(v)}`);
  }
  if (best === null) return v;
  if (typeof v !== typeof best) {
    throw new EvalError(`requires ${typed(best).split("(")[0]} but found ${typed(v)}`);
  }
  return (sign > 0 ? v > best : v < best) ? v : best;
}

function extremeAcc(sign: 1 | -1): Accumulator<{ best: number | string | null }> {
  return {
    init: () => ({ best: null }),
    add(s, [v]) {
      s.best = better(s.best, v, sign);
      return s;
    },
    result: (s) => s.best,
    merge: (a, b) => ({ best: better(a.best, b.best, sign) }),
  };
}

const collectAcc: Accumulator<{ items: unknown[] }> = {
  init: () => ({ items: [] }),
  add(s, [v]) {
    s.items.push(v);
    return s;
  },
  result: (s) => s.items.slice(),
  merge: (a, b) => ({ items: [...a.items, ...b.items] }),
};

/** Shallow merge of object rows, later keys win; rows that are not objects are skipped. */
const mergeAcc: Accumulator<{ obj: Record<string, unknown> }> = {
  init: () => ({ obj: {} }),
  add(s, [v]) {
    if (isObject(v)) Object.assign(s.obj, v);
    return s;
  },
  // Nothing merged is nil, as in eKuiper.
  result: (s) => (Object.keys(s.obj).length === 0 ? null : { ...s.obj }),
  merge: (a, b) => ({ obj: { ...a.obj, ...b.obj } }),
};

/** `last_value(col, ignoreNull)`: the last value, or the last non-null one. `set` tells a
 * state that has taken a value from an empty one, so that merging keeps a trailing null. */
const lastValueAcc: Accumulator<{ v: unknown; set: boolean }> = {
  init: () => ({ v: null, set: false }),
  add(s, [v, ignoreNull]) {
    if (typeof ignoreNull !== "boolean") {
      throw new EvalError(`the second parameter requires bool but found ${typed(ignoreNull)}`);
    }
    if (v != null || !ignoreNull) {
      s.v = v ?? null;
      s.set = true;
    }
    return s;
  },
  result: (s) => s.v,
  merge: (a, b) => (b.set ? b : a),
};

interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Welford's streaming variance; `sample` divides by n-1 (nil below two values). */
function varianceAcc(sample: boolean, root: boolean): Accumulator<Moments> {
  return {
    init: () => ({ n: 0, mean: 0, m2: 0 }),
    add(s, [v]) {
      if (v == null) return s;
      const x = number(v);
      s.n++;
      const d = x - s.mean;
      s.mean += d / s.n;
      s.m2 += d * (x - s.mean);
      return s;
    },
    result(s) {
      const div = sample ? s.n - 1 : s.n;
      if (div <= 0) return null;
      const variance = s.m2 / div;
      return root ? Math.sqrt(variance) : variance;
    },
    merge(a, b) {
      const n = a.n + b.n;
      if (n === 0) return { n: 0, mean: 0, m2: 0 };
      const d = b.mean - a.mean;
      return { n, mean: a.mean + (d * b.n) / n, m2: a.m2 + b.m2 + (d * d * a.n * b.n) / n };
    },
  };
}

function sortedNumbers(col: unknown[]): number[] {
  const xs: number[] = [];
  for (const v of col) if (v != null) xs.push(number(v));
  return xs.sort((a, b) => a - b);
}

/** The middle value, or the mean of the two middle values. */
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/**
 * eKuiper's `percentile_cont` (montanaflynn/stats `Percentile`): with i = p·n, the i-th value
 * when i is whole, else the mean of the values around it; p must be in (0, 1].
 */
function percentileCont(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  if (xs.length === 1) return xs[0];
  const index = p * xs.length;
  if (p <= 0 || p > 1 || index < 1) {
    throw new EvalError("percentile exec with error: Input is outside of range.");
  }
  const i = Math.trunc(index);
  return index === i ? xs[i - 1] : (xs[i - 1] + xs[i]) / 2;
}

/** The nearest-rank percentile: the first value whose cumulative share reaches p. */
function percentileDisc(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  return xs[Math.max(0, Math.ceil(p * xs.length) - 1)];
}

/** The percentile argument: a number in [0, 1], a literal when it can be judged. */
function percentileArgs(args: readonly Expr[]): string | undefined {
  const err = expect(["number", "number"])(args);
  if (err) return err;
  const p = args[1];
  const v = p.kind === "NumberLiteral" || p.kind === "IntegerLiteral" ? p.value : undefined;
  return v !== undefined && (v < 0 || v > 1)
    ? "the second parameter must be a number between 0 and 1"
    : undefined;
}

function fraction(col: unknown): number {
  const p = (col as unknown[]).find((v) => v != null);
  if (typeof p !== "number" || p < 0 || p > 1) {
    throw new EvalError(`the second parameter must be a number between 0 and 1, got ${typed(p)}`);
  }
  return p;
}

/** `deduplicate(col, all)`: all=true -> the distinct values; false -> the latest value when it
 * was not seen before in the group, else an empty object. */
function deduplicate([col, all]: unknown[]): unknown {
  const values = col as unknown[];
  const flags = all as unknown[];
  if (flags[flags.length - 1] === true) return distinctValues(values);
  if (values.length === 0) return null;
  const last = values[values.length - 1];
  const key = toJson(last);
  for (let i = 0; i < values.length - 1; i++) if (toJson(values[i]) === key) return {};
  return last;
}

/** The flag of `last_value` / `deduplicate` must visibly be a boolean (eKuiper's check). */
const boolSecond = (args: readonly Expr[]) =>
  isBoolean(args[1]) ? undefined : "Expect bool type for parameter 2";

const sameNumeric = ([t]: ValueType[]): ValueType => (t === "bigint" ? "bigint" : "float");
const sameOrderable = ([t]: ValueType[]): ValueType =>
  t === "bigint" || t === "float" || t === "string" ? t : "any";
const firstType = ([t]: ValueType[]): ValueType => t ?? "any";

export const aggregateFunctions: FunctionTable = {
  avg: folded("avg", { args: 1, validate: oneNumber, returnType: "float", acc: avgAcc }),
  count: folded("count", { args: 1, returnType: "bigint", acc: countAcc }),
  max: folded("max", {
    args: 1,
    validate: oneNumber,
    returnType: sameOrderable,
    acc: extremeAcc(1),
  }),
  min: folded("min", {
    args: 1,
    validate: oneNumber,
    returnType: sameOrderable,
    acc: extremeAcc(-1),
  }),
  sum: folded("sum", { args: 1, validate: oneNumber, returnType: sameNumeric, acc: sumAcc }),
  collect: folded("collect", { args: 1, returnType: "array", acc: collectAcc }),
  merge_agg: folded("merge_agg", { args: 1, returnType: "struct", acc: mergeAcc }),
  last_value: folded("last_value", {
    args: 2,
    validate: boolSecond,
    returnType: firstType,
    acc: lastValueAcc,
  }),
  stddev: folded("stddev", {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    acc: varianceAcc(false, true),
  }),
  stddevs: folded("stddevs", {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    acc: varianceAcc(true, true),
  }),
  var: folded("var", {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    acc: varianceAcc(false, false),
  }),
  vars: folded("vars", {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    acc: varianceAcc(true, false),
  }),
  median: aggregate("median", {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    exec: ([col]) => median(sortedNumbers(col as unknown[])),
  }),
  percentile_cont: aggregate("percentile_cont", {
    args: 2,
    validate: percentileArgs,
    returnType: "float",
    exec: ([col, p]) => percentileCont(sortedNumbers(col as unknown[]), fraction(p)),
  }),
  percentile_disc: aggregate("percentile_disc", {
    args: 2,
    validate: percentileArgs,
    returnType: "float",
    exec: ([col, p]) => percentileDisc(sortedNumbers(col as unknown[]), fraction(p)),
  }),
  deduplicate: aggregate("deduplicate", {
    args: 2,
    validate: boolSecond,
    returnType: "any",
    nullPolicy: "custom",
    exec: deduplicate,
  }),
};
