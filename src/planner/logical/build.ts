/**
 * Builds the logical plan of an analysed SELECT, in eKuiper's shape and order:
 *
 *   ProjectPlan <- OrderPlan <- HavingPlan <- AggregatePlan <- FilterPlan (WHERE)
 *     <- JoinPlan | LookupPlan | JoinAlignPlan <- WindowPlan <- AnalyticFuncsPlan <- DataSourcePlan...
 *
 * then runs the two rewrites eKuiper runs: predicate push-down (`pushdown.ts`) and column
 * pruning (`prune.ts`).
 *
 * @module
 */
import type { Expr, JoinType, WindowExpr } from "../../sql/ast.ts";
import type { FunctionRegistry } from "../../functions/types.ts";
import type { AnalyzedSelect, SourceInfo } from "../analyze.ts";
import { childExprs } from "../../expr/_children.ts";
import type { DataSourcePlan, LogicalPlan, ProjectPlan } from "./plan.ts";
import { pushDownPredicates } from "./pushdown.ts";
import { pruneColumns } from "./prune.ts";
import type { IncFunc } from "../incremental.ts";
import { outputName } from "../output_names.ts";

export interface LogicalPlanOptions {
  isEventTime: boolean;
  /** Set when the rule folds its window (see `incremental.ts`). */
  incremental?: IncFunc[];
}

function windowLength(w: WindowExpr): number {
  const arg = w.windowType === "COUNT_WINDOW" ? w.args[0] : w.args[1];
  return arg && arg.kind === "IntegerLiteral" ? arg.value : 0;
}

/** Analytic calls (outermost first) in `exprs`. */
function analyticCalls(exprs: readonly Expr[], registry: FunctionRegistry): Expr[] {
  const out: Expr[] = [];
  const visit = (e: Expr) => {
    if (e.kind === "Call" && registry.get(e.name)?.kind === "analytic") out.push(e);
    childExprs(e).forEach(visit);
  };
  exprs.forEach(visit);
  return out;
}

function dataSource(source: SourceInfo): DataSourcePlan {
  return { op: "DataSourcePlan", children: [], source, streamFields: undefined };
}

export function buildLogicalPlan(
  a: AnalyzedSelect,
  registry: FunctionRegistry,
  options: LogicalPlanOptions,
): ProjectPlan {
  const { stmt } = a;
  const streams = a.sources.filter((s) => !s.isTable);
  const scanTables = a.sources.filter((s) => s.isTable && !s.isLookup);
  let inputs: LogicalPlan[] = streams.map(dataSource);

  const fieldFuncs = analyticCalls(stmt.fields.map((f) => f.expr), registry);
  const funcs = analyticCalls(
    [
      ...(stmt.where ? [stmt.where] : []),
      ...(stmt.groupBy ?? []),
      ...(stmt.having ? [stmt.having] : []),
      ...(stmt.orderBy ?? []).map((o) => o.expr),
    ],
    registry,
  );
  if (funcs.length + fieldFuncs.length > 0) {
    inputs = [{ op: "AnalyticFuncsPlan", children: inputs, funcs, fieldFuncs }];
  }

  if (a.window && options.incremental) {
    inputs = [{
      op: "IncAggWindowPlan",
      children: inputs,
      window: a.window,
      dimensions: a.dimensions,
      funcs: options.incremental,
      where: undefined,
    }];
  } else if (a.window) {
    inputs = [{
      op: "WindowPlan",
      children: inputs,
      window: a.window,
      length: windowLength(a.window),
      condition: undefined,
      limit: 0,
    }];
  }

  if (scanTables.length > 0) {
    inputs = [{
      op: "JoinAlignPlan",
      children: [...inputs, ...scanTables.map(dataSource)],
      emitters: scanTables.map((t) => t.ref),
    }];
  }

  const byRef = new Map(a.sources.map((s) => [s.ref, s]));
  const joins: { joinType: JoinType; source: SourceInfo; on: Expr | undefined }[] = [];
  for (const j of stmt.joins) {
    const source = byRef.get(j.source.alias ?? j.source.name)!;
    if (source.isLookup) {
      inputs = [{ op: "LookupPlan", children: inputs, joinType: j.joinType, source, on: j.on }];
    } else {
      joins.push({ joinType: j.joinType, source, on: j.on });
    }
  }
  if (joins.length > 0) {
    inputs = [{ op: "JoinPlan", children: inputs, from: a.sources[0], joins }];
  }

  let plan: LogicalPlan = inputs[0];
  if (stmt.where) plan = { op: "FilterPlan", children: [plan], condition: stmt.where };
  if (a.dimensions.length > 0 && !options.incremental) {
    plan = { op: "AggregatePlan", children: [plan], dimensions: a.dimensions };
  }
  if (stmt.having) plan = { op: "HavingPlan", children: [plan], condition: stmt.having };
  if (stmt.orderBy && stmt.orderBy.length > 0) {
    plan = { op: "OrderPlan", children: [plan], sortFields: stmt.orderBy };
  }
  const kindOf = (e: Expr) => e.kind === "Call" ? registry.get(e.name)?.kind : undefined;
  const windowFuncs: ProjectPlan["windowFuncs"] = [];
  stmt.fields.forEach((f, i) => {
    if (kindOf(f.expr) !== "window") return;
    const name = (f.expr as { name: string }).name;
    windowFuncs.push({ field: i, column: `wf_${name}_${windowFuncs.length + 1}` });
  });
  const root: ProjectPlan = {
    op: "ProjectPlan",
    children: [plan],
    fields: stmt.fields,
    limit: stmt.limit,
    isAggregate: a.isAggregate,
    setFields: stmt.fields.flatMap((f, i) => kindOf(f.expr) === "srf" ? [outputName(f, i)] : []),
    windowFuncs,
  };

  pushDownPredicates(root, a, options);
  foldWhere(root);
  pruneColumns(root, a, options);
  return root;
}

/** A WHERE left above an incremental window (count windows, event time) is folded with the
 * rows: the window keeps no rows to filter afterwards. */
function foldWhere(root: ProjectPlan): void {
  let parent: LogicalPlan = root;
  while (parent.children.length === 1) {
    const child: LogicalPlan = parent.children[0];
    if (child.op === "FilterPlan" && child.children[0].op === "IncAggWindowPlan") {
      child.children[0].where = child.condition;
      parent.children = [child.children[0]];
      return;
    }
    parent = child;
  }
}
