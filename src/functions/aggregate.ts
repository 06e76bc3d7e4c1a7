/**
 * Aggregate functions (eKuiper `funcs_agg.go`). Each argument arrives as the array of its
 * per-row values over the group; nulls are ignored. Under the `nil` policy an empty group
 * yields nil (eKuiper's nil check treats an empty array as nil).
 *
 * @module
 */
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { typed } from "../expr/values.ts";
import { aggregate } from "./_define.ts";
import { expect } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

const oneNumber = expect(["number"]);

function numbers(values: unknown[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    if (v == null) continue;
    if (typeof v !== "number") throw new EvalError(`requires float64 but found ${typed(v)}`);
    out.push(v);
  }
  return out;
}

/** Largest (`sign` 1) or smallest (-1) of numbers or of strings, never of a mix. */
function extreme(values: unknown[], sign: 1 | -1): unknown {
  let best: number | string | null = null;
  for (const v of values) {
    if (v == null) continue;
    if (typeof v !== "number" && typeof v !== "string") {
      throw new EvalError(`found invalid arg ${typed(v)}`);
    }
    if (best === null) best = v;
    else if (typeof v !== typeof best) {
      throw new EvalError(`requires ${typed(best).split("(")[0]} but found ${typed(v)}`);
    } else if (sign > 0 ? v > best : v < best) best = v;
  }
  return best;
}

const sameNumeric = ([t]: ValueType[]): ValueType => (t === "bigint" ? "bigint" : "float");
const sameOrderable = ([t]: ValueType[]): ValueType =>
  t === "bigint" || t === "float" || t === "string" ? t : "any";

export const aggregateFunctions: FunctionTable = {
  avg: aggregate("avg", {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    incremental: true,
    exec: ([col]) => {
      const xs = numbers(col as unknown[]);
      if (xs.length === 0) return null;
      let total = 0;
      for (const x of xs) total += x;
      return total / xs.length;
    },
  }),
  count: aggregate("count", {
    args: 1,
    returnType: "bigint",
    nullPolicy: "zero",
    incremental: true,
    exec: ([col]) => {
      let n = 0;
      for (const v of col as unknown[]) if (v != null) n++;
      return n;
    },
  }),
  max: aggregate("max", {
    args: 1,
    validate: oneNumber,
    returnType: sameOrderable,
    incremental: true,
    exec: ([col]) => extreme(col as unknown[], 1),
  }),
  min: aggregate("min", {
    args: 1,
    validate: oneNumber,
    returnType: sameOrderable,
    incremental: true,
    exec: ([col]) => extreme(col as unknown[], -1),
  }),
  sum: aggregate("sum", {
    args: 1,
    validate: oneNumber,
    returnType: sameNumeric,
    incremental: true,
    exec: ([col]) => {
      const xs = numbers(col as unknown[]);
      if (xs.length === 0) return null;
      let total = 0;
      for (const x of xs) total += x;
      return total;
    },
  }),
  collect: aggregate("collect", {
    args: 1,
    returnType: "array",
    nullPolicy: "custom",
    incremental: true,
    exec: ([col]) => (col as unknown[]).slice(),
  }),
};
