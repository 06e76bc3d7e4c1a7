/**
 * Aggregate calls compiled for grouped evaluation.
 *
 * @module
 */
import type { CallExpr } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope } from "../expr/types.ts";
import { compileAggregateCall } from "../expr/aggregate.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Tuple } from "../runtime/tuple.ts";

/**
 * Aggregate calls read the rows of the tuple's group (`Tuple.group`, set by GROUP BY and
 * windows); a plain row outside any window is a group of itself (eKuiper).
 */
export function groupAggregate(scope: () => CompileScope) {
  return (call: CallExpr): CompiledExpr => {
    const agg = compileAggregateCall(call, scope(), builtinFunctions);
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
