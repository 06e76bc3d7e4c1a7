/**
 * The logical plan of a rule: a tree of eKuiper's plan nodes, root (ProjectPlan) first, data
 * sources at the leaves. It is what `GET /rules/{id}/explain` prints and what the runtime
 * builds its operators from, so EXPLAIN always shows the plan that runs.
 *
 * @module
 */
import type { Expr, JoinType, OrderItem, SelectField, WindowExpr } from "../../sql/ast.ts";
import type { SourceInfo } from "../analyze.ts";
import type { IncFunc } from "../incremental.ts";

interface Node<Op extends string> {
  op: Op;
  children: LogicalPlan[];
}

/** Reads one stream (or scan table). `streamFields` are the columns the rule reads, sorted;
 * undefined when it reads every column of a schemaless stream (`*`). */
export interface DataSourcePlan extends Node<"DataSourcePlan"> {
  source: SourceInfo;
  streamFields: string[] | undefined;
  /** The columns the rule's rows need, sorted: what a window may prune rows to. Undefined when
   * it needs whole rows of a schemaless stream (`*`, `collect(*)`; not `count(*)`, which only
   * counts them), even where `streamFields` lists the columns met before the `*`, as eKuiper's
   * EXPLAIN does. */
  rowColumns?: string[];
}

/** Analytic function calls (`lag`, `acc_sum`, ...) evaluated for every event before WHERE. */
export interface AnalyticFuncsPlan extends Node<"AnalyticFuncsPlan"> {
  /** Calls in WHERE, GROUP BY, HAVING and ORDER BY. */
  funcs: Expr[];
  /** Calls in the SELECT list. */
  fieldFuncs: Expr[];
}

export interface WindowPlan extends Node<"WindowPlan"> {
  window: WindowExpr;
  /** Length in the window's unit (tumbling, hopping, sliding, session) or in events (count). */
  length: number;
  /** WHERE conditions pushed into the window (eKuiper keeps none today). */
  condition: Expr | undefined;
  limit: number;
}

/** A window that folds rows into per-group accumulators (incremental aggregation). */
export interface IncAggWindowPlan extends Node<"IncAggWindowPlan"> {
  window: WindowExpr;
  dimensions: Expr[];
  funcs: IncFunc[];
  /** WHERE folded with the rows, when it could not run before the window. */
  where: Expr | undefined;
}

/** Stream-stream joins (inside a window) and stream-scan-table joins. */
export interface JoinPlan extends Node<"JoinPlan"> {
  from: SourceInfo;
  joins: { joinType: JoinType; source: SourceInfo; on: Expr | undefined }[];
}

/** Aligns a stream (or window) with the latest content of scan tables before a join. */
export interface JoinAlignPlan extends Node<"JoinAlignPlan"> {
  emitters: string[];
}

/** A join with a lookup table: the table is queried per event. */
export interface LookupPlan extends Node<"LookupPlan"> {
  joinType: JoinType;
  source: SourceInfo;
  on: Expr | undefined;
}

export interface FilterPlan extends Node<"FilterPlan"> {
  condition: Expr;
}

export interface AggregatePlan extends Node<"AggregatePlan"> {
  dimensions: Expr[];
}

export interface HavingPlan extends Node<"HavingPlan"> {
  condition: Expr;
}

export interface OrderPlan extends Node<"OrderPlan"> {
  sortFields: OrderItem[];
}

export interface ProjectPlan extends Node<"ProjectPlan"> {
  fields: SelectField[];
  limit: number | undefined;
  /** True when the projection reads aggregates (one row per group). */
  isAggregate: boolean;
  /**
   * Row-shaping fields, run inside the projection but shown as eKuiper plans them: output
   * names of set-returning fields (`unnest`, a ProjectSetPlan above the projection) and the
   * window functions (`row_number`, a WindowFuncPlan below it, read as `wf_<name>_<n>`).
   */
  setFields: string[];
  windowFuncs: { field: number; column: string }[];
}

export type LogicalPlan =
  | DataSourcePlan
  | AnalyticFuncsPlan
  | WindowPlan
  | IncAggWindowPlan
  | JoinPlan
  | JoinAlignPlan
  | LookupPlan
  | FilterPlan
  | AggregatePlan
  | HavingPlan
  | OrderPlan
  | ProjectPlan;

/** Every node of the tree, pre-order (root first), as eKuiper numbers them. */
export function preOrder(root: LogicalPlan): LogicalPlan[] {
  const out: LogicalPlan[] = [];
  const visit = (p: LogicalPlan) => {
    out.push(p);
    p.children.forEach(visit);
  };
  visit(root);
  return out;
}
