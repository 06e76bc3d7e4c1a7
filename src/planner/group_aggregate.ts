/**
 * Aggregate calls compiled for grouped evaluation.
 *
 * @module
 */
import type { CallExpr } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope } from "../expr/types.ts";
import { compileAggregateCall, type CompiledAggregate } from "../expr/aggregate.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Accumulator } from "../functions/types.ts";
import { callError } from "../functions/invoke.ts";
import type { Tuple } from "../runtime/tuple.ts";

/**
 * Aggregate calls read the rows of the tuple's group (`Tuple.group`, set by GROUP BY and
 * windows); a plain row outside any window is a group of itself (eKuiper).
 */
export function groupAggregate(scope: () => CompileScope) {
  return (call: CallExpr): CompiledExpr => {
    const agg = compileAggregateCall(call, scope(), builtinFunctions);
    const acc = agg.def.incremental;
    if (acc && agg.def.nullPolicy === "custom") return folding(agg, acc);
    const args = agg.args;
    const n = args.length;
    const filter = agg.filter;
    const one: Tuple[] = [];
    return {
      type: agg.type,
      eval: (t, ctx) => {
        let rows = t.group;
        if (!rows) {
          one[0] = t;
          rows = one;
        }
        const columns: unknown[][] = [];
        for (let i = 0; i < n; i++) columns.push([]);
        for (const r of rows) {
          if (filter && filter.eval(r, ctx) !== true) continue;
          for (let i = 0; i < n; i++) columns[i].push(args[i].eval(r, ctx));
        }
        return agg.exec(columns, ctx);
      },
    };
  };
}

/**
 * An aggregate with a fold form runs it over the group's rows directly: its body is that same
 * fold over the argument columns (`functions/aggregate.ts`), so the result is the same without
 * building the columns. Errors keep the columns' order too: an argument failing on any row
 * wins over the fold failing, which then fails at its first bad row.
 */
// deno-lint-ignore no-explicit-any
function folding(agg: CompiledAggregate, acc: Accumulator<any>): CompiledExpr {
  const args = agg.args;
  const n = args.length;
  const filter = agg.filter;
  const name = agg.def.name;
  const values: unknown[] = new Array(n);
  const one: Tuple[] = [];
  return {
    type: agg.type,
    eval: (t, ctx) => {
      let rows = t.group;
      if (!rows) {
        one[0] = t;
        rows = one;
      }
      let state = acc.init();
      let failed = false;
      let error: unknown;
      for (const r of rows) {
        if (filter && filter.eval(r, ctx) !== true) continue;
        for (let i = 0; i < n; i++) values[i] = args[i].eval(r, ctx);
        if (failed) continue;
        try {
          state = acc.add(state, values);
        } catch (e) {
          failed = true;
          error = e;
        }
      }
      try {
        if (failed) throw error;
        return acc.result(state);
      } catch (e) {
        throw callError(name, e);
      }
    },
  };
}
