/**
 * Per-call cost of the 20 most used built-in functions (by eKuiper's docs, examples and issue
 * traffic), each compiled from SQL as a rule would and evaluated over a batch of 1,000 tuples;
 * Deno reports the time per batch, so per call = reported / 1,000. Plus the fold of the
 * aggregates that incremental windows use, and two analytic functions.
 *
 * `deno bench -A src/functions/functions_bench.ts`
 */
import type { Tuple } from "../runtime/tuple.ts";
import { tuple } from "../expr/_test_ast.ts";
import { compileSql, SQL_CTX } from "./_sql_test_util.ts";
import { builtinFunctions } from "./mod.ts";

const N = 1_000;
const BATCH: Tuple[] = Array.from({ length: N }, (_, i) =>
  tuple({
    t: 20 + (i % 17) * 0.37,
    n: i,
    name: `sensor-${i % 50}/room-${i % 7}`,
    s: "  Hello Wörld  ",
    ts: 1_700_000_000_000 + i * 1000,
    arr: [1, 2, 3, i % 5],
    doc: { a: { b: [i, i + 1] } },
    missing: null,
  }));

const TOP_20: [string, string][] = [
  ["abs", "abs(t - 25)"],
  ["round", "round(t, 2)"],
  ["floor", "floor(t)"],
  ["sqrt", "sqrt(t)"],
  ["power", "power(t, 2)"],
  ["mod", "mod(n, 7)"],
  ["concat", 'concat(name, "-", "x")'],
  ["upper", "upper(name)"],
  ["lower", "lower(name)"],
  ["trim", "trim(s)"],
  ["length", "length(name)"],
  ["substring", "substring(name, 0, 6)"],
  ["split_value", 'split_value(name, "/", 1)'],
  ["regexp_matches", 'regexp_matches(name, "room-[0-3]")'],
  ["cast", 'cast(t, "bigint")'],
  ["coalesce", "coalesce(missing, t)"],
  ["to_json", "to_json(doc)"],
  ["md5", "md5(name)"],
  ["format_time", 'format_time(ts, "yyyy-MM-dd HH:mm:ss")'],
  ["json_path_query", 'json_path_query(doc, "$.a.b[0]")'],
];

for (const [name, sql] of TOP_20) {
  const f = compileSql(sql).eval;
  Deno.bench(`${name}: ${sql} ×${N}`, { group: "scalar" }, () => {
    for (let i = 0; i < N; i++) f(BATCH[i], SQL_CTX);
  });
}

for (const name of ["count", "sum", "avg", "max", "stddev", "collect"]) {
  const acc = builtinFunctions.get(name)!.incremental!;
  const row = [0];
  Deno.bench(`${name} fold ×${N}`, { group: "aggregate" }, () => {
    let s = acc.init();
    for (let i = 0; i < N; i++) {
      row[0] = BATCH[i].message.t as number;
      s = acc.add(s, row);
    }
    acc.result(s);
  });
}

for (const sql of ["lag(t)", "acc_sum(t) OVER (PARTITION BY mod(n, 10))"]) {
  const f = compileSql(sql).eval;
  Deno.bench(`${sql} ×${N}`, { group: "analytic" }, () => {
    for (let i = 0; i < N; i++) f(BATCH[i], SQL_CTX);
  });
}
