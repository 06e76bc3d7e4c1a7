/**
 * Lowering: reads off the logical plan the chain the runtime runs - the sources (each with the
 * WHERE part pushed onto it), the scan and lookup tables, the window, the join, the WHERE after
 * the window, the dimensions and HAVING.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import { PlanError } from "../errors.ts";
import type {
  DataSourcePlan,
  IncAggWindowPlan,
  JoinPlan,
  LogicalPlan,
  LookupPlan,
  ProjectPlan,
  WindowPlan,
} from "./logical/plan.ts";
import { and } from "./logical/pushdown.ts";
import { unsupported } from "./plan_errors.ts";

/** One source's chain: the source and the WHERE part pushed down onto it. */
export interface LoweredSource {
  source: DataSourcePlan;
  filter?: Expr;
}

/** The chain the runtime runs, read off the logical plan. */
export interface Lowered {
  sources: LoweredSource[];
  /** Scan tables joined with the stream(s). */
  tables: DataSourcePlan[];
  /** Lookup-table joins, in execution order (innermost first). */
  lookups: LookupPlan[];
  window?: WindowPlan | IncAggWindowPlan;
  join?: JoinPlan;
  /** WHERE evaluated after the window (or after the join). */
  filterAfter?: Expr;
  dimensions: Expr[];
  having?: Expr;
}

function lowerSource(node: LogicalPlan): LoweredSource {
  let filter: Expr | undefined;
  for (;;) {
    if (node.op === "FilterPlan") filter = node.condition;
    else if (node.op === "AnalyticFuncsPlan") {
      // Stepped by the FROM source's lane, before WHERE.
      if (node.children.length > 1) {
        unsupported("analytic functions in a JOIN", "the windows and joins issue");
      }
    } else if (node.op === "DataSourcePlan") return { source: node, filter };
    else unsupported(`${node.op} under a source`, "the windows and joins issue");
    node = node.children[0];
  }
}

export function lower(root: ProjectPlan): Lowered {
  const out = lowerChain(root);
  if (!out.window && !out.join && out.lookups.length === 0 && out.filterAfter) {
    // One stream, no window: the WHERE runs in the source's lane (after analytic functions).
    const lane = out.sources[0];
    lane.filter = lane.filter ? and(out.filterAfter, lane.filter) : out.filterAfter;
    out.filterAfter = undefined;
  }
  return out;
}

function lowerChain(root: ProjectPlan): Lowered {
  let node: LogicalPlan = root.children[0];
  const out: Lowered = { sources: [], tables: [], lookups: [], dimensions: [] };
  for (;;) {
    switch (node.op) {
      case "FilterPlan":
        if (node.children[0].op === "DataSourcePlan") {
          out.sources = [lowerSource(node)];
          return out;
        }
        out.filterAfter = node.condition;
        break;
      case "AggregatePlan":
        out.dimensions = node.dimensions;
        break;
      case "HavingPlan":
        out.having = node.condition;
        break;
      case "JoinPlan":
        // Streams meet only inside a window (the join's one child), tables anywhere.
        if (node.children.length > 1) {
          throw new PlanError("a JOIN of streams needs a window: add one to GROUP BY");
        }
        out.join = node;
        break;
      case "AnalyticFuncsPlan":
        break;
      case "LookupPlan":
        out.lookups.unshift(node);
        break;
      case "JoinAlignPlan": {
        // Tables are leaves here; the one other child is the streams' side.
        const [streams, ...others] = node.children.filter((c) =>
          !(c.op === "DataSourcePlan" && c.source.isTable)
        );
        if (others.length > 0) unsupported("this JOIN shape", "the windows and joins issue");
        out.tables = node.children.filter((c): c is DataSourcePlan =>
          c.op === "DataSourcePlan" && c.source.isTable
        );
        node = streams;
        continue;
      }
      case "WindowPlan":
        out.window = node;
        out.sources = node.children.map(lowerSource);
        return out;
      case "IncAggWindowPlan":
        out.window = node;
        out.dimensions = node.dimensions;
        out.filterAfter = node.where;
        out.sources = node.children.map(lowerSource);
        return out;
      case "DataSourcePlan":
        out.sources = [{ source: node }];
        return out;
    }
    node = node.children[0];
  }
}
