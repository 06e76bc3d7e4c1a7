/**
 * Incremental window aggregation (`planOptimizeStrategy.enableIncrementalWindow`, seed 004):
 * when a rule's every aggregate can be folded one row at a time, each aggregate call becomes a
 * column of the window's groups, `inc_agg_col_N` (numbered from 1 in SELECT, HAVING, ORDER BY
 * order, one per call as eKuiper does), and the expressions read it through
 * `bypass($$default.inc_agg_col_N)`. The window then folds rows into per-group accumulators and
 * never stores them (IncAggWindowPlan).
 *
 * Foldable: eKuiper's incremental set - count, sum, avg, max, min, collect, merge_agg,
 * last_value (their `inc_*` functions); windows: tumbling, session, hopping (panes of
 * gcd(length, hop) merged per window), sliding (per-group slices of one timestamp, two-stacks
 * aggregation) and count (panes of gcd(n, m) rows); single-stream rules. State windows, joins
 * and anything else keep the ordinary plan. stddev/var have accumulators too (for
 * checkpoints), but folding them here would change the plan the user's seed 004 documents for
 * `SELECT count(*), stddev(a) ...` (the ordinary one), so they stay out, as in eKuiper.
 *
 * @module
 */
import type { CallExpr, Expr } from "../sql/ast.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import { isAggregateCall } from "../expr/aggregate.ts";
import type { AnalyzedSelect } from "./analyze.ts";
import { mapExpr } from "./map_expr.ts";

/** One aggregate call folded into a group column. */
export interface IncFunc {
  call: CallExpr;
  /** `inc_agg_col_N`. */
  column: string;
}

const WINDOW_FUNCTIONS = new Set(["window_start", "window_end", "windowstart", "windowend"]);

/** True when `e` calls a window function (its value depends on the window being emitted),
 * looking through SELECT aliases. */
function readsWindow(e: Expr, aliases: ReadonlyMap<string, Expr>, depth = 0): boolean {
  let found = false;
  mapExpr(e, (node) => {
    if (node.kind === "Call" && WINDOW_FUNCTIONS.has(node.name)) found = true;
    if (node.kind === "FieldRef" && node.stream === undefined && depth < 32) {
      const target = aliases.get(node.name);
      if (target && readsWindow(target, aliases, depth + 1)) found = true;
    }
    return found ? node : undefined;
  });
  return found;
}

export const INC_COLUMN = /^inc_agg_col_(\d+)$/;

/** The aggregates eKuiper folds (`inc_count`, `inc_sum`, ...). */
const FOLDED = new Set(["count", "sum", "avg", "max", "min", "collect", "merge_agg", "last_value"]);

/** True when the rule option asks for incremental windows. */
export function incrementalEnabled(planOptimizeStrategy: Record<string, unknown> | undefined) {
  return planOptimizeStrategy?.enableIncrementalWindow === true;
}

/** True when the rule's window can fold rows; `merges` when its windows merge partial folds
 * (hopping panes, sliding slices, `COUNTWINDOW(n, m)` panes), so every accumulator needs merge. */
function foldableWindow(a: AnalyzedSelect): { merges: boolean } | undefined {
  const w = a.window;
  switch (w?.windowType) {
    case "TUMBLING_WINDOW":
    case "SESSION_WINDOW":
      return { merges: false };
    case "HOPPING_WINDOW":
    case "SLIDING_WINDOW":
      return { merges: true };
    case "COUNT_WINDOW": {
      const [n, m] = w.args;
      const same = !m ||
        (n?.kind === "IntegerLiteral" && m.kind === "IntegerLiteral" && n.value === m.value);
      return { merges: !same };
    }
    default:
      return undefined;
  }
}

/**
 * The analysed statement with its aggregates turned into group columns, and those columns'
 * calls; undefined when the rule cannot fold.
 */
export function rewriteIncremental(
  a: AnalyzedSelect,
  registry: FunctionRegistry,
): { analyzed: AnalyzedSelect; funcs: IncFunc[] } | undefined {
  const windowFolds = foldableWindow(a);
  if (!windowFolds || a.sources.length !== 1) return undefined;
  const funcs: IncFunc[] = [];
  let foldable = true;
  const rewrite = (e: Expr): Expr =>
    mapExpr(e, (node) => {
      if (node.kind !== "Call" || !isAggregateCall(node, registry)) return undefined;
      // `last_agg_hit_*` fold nothing: evaluated per emitted group as they are.
      if (registry.get(node.name)?.hit) return node;
      const acc = registry.get(node.name)?.incremental;
      if (!FOLDED.has(node.name) || !acc) foldable = false;
      if (windowFolds.merges && !acc?.merge) foldable = false;
      const column = `inc_agg_col_${funcs.length + 1}`;
      funcs.push({ call: node, column });
      return {
        kind: "Call",
        name: "bypass",
        args: [{ kind: "FieldRef", name: column, span: node.span }],
        span: node.span,
      };
    });
  const { stmt } = a;
  const fields = stmt.fields.map((f) => ({ ...f, expr: rewrite(f.expr) }));
  const having = stmt.having && rewrite(stmt.having);
  const orderBy = stmt.orderBy?.map((o) => ({ ...o, expr: rewrite(o.expr) }));
  if (!foldable || funcs.length === 0) return undefined;
  // Rows are folded before their window is known: what they are grouped or filtered by, and
  // what they aggregate, must not depend on it.
  const beforeWindow = [
    ...a.dimensions,
    ...(stmt.where ? [stmt.where] : []),
    ...funcs.flatMap((f) => [...f.call.args, ...(f.call.filter ? [f.call.filter] : [])]),
  ];
  if (beforeWindow.some((e) => readsWindow(e, a.aliases))) return undefined;
  const aliases = new Map<string, Expr>();
  for (const f of fields) if (f.alias) aliases.set(f.alias, f.expr);
  return {
    analyzed: { ...a, stmt: { ...stmt, fields, having, orderBy }, aliases },
    funcs,
  };
}
