/**
 * Aggregate calls compiled for grouped evaluation.
 *
 * @module
 */
import type { CallExpr } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope, EvalContext } from "../expr/types.ts";
import { compileAggregateCall, type CompiledAggregate } from "../expr/aggregate.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Accumulator } from "../functions/types.ts";
import { callError } from "../functions/invoke.ts";
import type { GroupColumns, Tuple } from "../runtime/tuple.ts";
import type { Column } from "../runtime/windows/column.ts";

/**
 * Aggregate calls read the rows of the tuple's group (`Tuple.group`, set by GROUP BY and
 * windows, or `Tuple.columns` when the window held columns); a plain row outside any window is
 * a group of itself (eKuiper).
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
        let rows = t.group ?? (t.columns && t.columns.rows.tuples(t.columns.index));
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
 *
 * Over rows held as columns, an argument that is a plain column reads it in place, `*` gets a
 * copy of the row's message (count(*) just a non-null value), and anything else evaluates on
 * the row made a tuple.
 */
// deno-lint-ignore no-explicit-any
function folding(agg: CompiledAggregate, acc: Accumulator<any>): CompiledExpr {
  const args = agg.args;
  const n = args.length;
  const filter = agg.filter;
  const name = agg.def.name;
  const argColumns = args.map((a) => a.column);
  const wholeRow = args.map((a) => a.wholeRow === true);
  // count(*) only asks whether the row is there: no copy of its message is needed.
  const counting = name === "count";
  const values: unknown[] = new Array(n);
  const direct: (Column | undefined)[] = new Array(n);
  const one: Tuple[] = [];
  let state: unknown;
  let failed = false;
  let error: unknown;
  const add = () => {
    if (failed) return;
    try {
      state = acc.add(state, values);
    } catch (e) {
      failed = true;
      error = e;
    }
  };
  const overTuples = (rows: Tuple[], ctx: EvalContext) => {
    for (const r of rows) {
      if (filter && filter.eval(r, ctx) !== true) continue;
      for (let a = 0; a < n; a++) values[a] = args[a].eval(r, ctx);
      add();
    }
  };
  const overColumns = ({ rows, index }: GroupColumns, ctx: EvalContext) => {
    for (let a = 0; a < n; a++) {
      const c = argColumns[a];
      direct[a] = c === undefined ? undefined : rows.column(c);
    }
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      let r: Tuple | undefined;
      if (filter && filter.eval(r = rows.tuple(i), ctx) !== true) continue;
      for (let a = 0; a < n; a++) {
        const col = direct[a];
        if (col) {
          const v = col.get(i);
          values[a] = v === undefined ? null : v;
        } else if (wholeRow[a]) values[a] = counting ? true : rows.message(i);
        else values[a] = args[a].eval(r ??= rows.tuple(i), ctx);
      }
      add();
    }
  };
  return {
    type: agg.type,
    eval: (t, ctx) => {
      state = acc.init();
      failed = false;
      error = undefined;
      if (t.columns) overColumns(t.columns, ctx);
      else if (t.group) overTuples(t.group, ctx);
      else {
        one[0] = t;
        overTuples(one, ctx);
      }
      try {
        if (failed) throw error;
        return acc.result(state);
      } catch (e) {
        throw callError(name, e);
      } finally {
        state = undefined;
      }
    },
  };
}
