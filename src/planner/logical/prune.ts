/**
 * Column pruning: each DataSourcePlan learns which columns the rule reads (eKuiper's
 * `StreamFields`). A typed stream read with `*` keeps all its columns (minus `* EXCEPT` names
 * nothing else reads); a schemaless stream read with `*` (or `count(*)`) has no list. The
 * event-time TIMESTAMP column is always kept.
 *
 * @module
 */
import type { Expr } from "../../sql/ast.ts";
import { childExprs } from "../../expr/_children.ts";
import { optionString } from "../../catalog/stream_def.ts";
import { type AnalyzedSelect, type SourceInfo, statementExprs } from "../analyze.ts";
import type { LogicalPlanOptions } from "./build.ts";
import { preOrder, type ProjectPlan } from "./plan.ts";

interface Reads {
  columns: Set<string>;
  wildcard: boolean;
  /** The columns read before the first `*` (what eKuiper lists for a schemaless `*`). */
  beforeWildcard: Set<string> | undefined;
  except: Set<string>;
  /** A `*` that stands for whole rows (not `count(*)`'s, which only counts them). */
  wholeRows: boolean;
}

function readsOf(a: AnalyzedSelect, options: LogicalPlanOptions): Map<string, Reads> {
  const reads = new Map<string, Reads>(
    a.sources.map((
      s,
    ) => [s.ref, {
      columns: new Set(),
      wildcard: false,
      beforeWildcard: undefined,
      except: new Set(),
      wholeRows: false,
    }]),
  );
  const all = [...reads.values()];
  const counted = new Set<Expr>();
  const visit = (e: Expr) => {
    if (e.kind === "Call" && (e.name === "meta" || e.name === "mqtt")) return;
    if (e.kind === "Call" && e.name.toLowerCase() === "count" && e.args[0]?.kind === "Wildcard") {
      counted.add(e.args[0]);
    }
    if (e.kind === "FieldRef") {
      if (e.stream !== undefined) reads.get(e.stream)?.columns.add(e.name);
      else if (!a.aliases.has(e.name)) {
        // An unbound column (several schemaless sources) may come from any of them.
        for (const s of a.sources) if (!s.columns) reads.get(s.ref)!.columns.add(e.name);
      }
    } else if (e.kind === "Wildcard") {
      const targets = e.stream ? [reads.get(e.stream)!] : all;
      for (const r of targets) {
        (e.except ?? []).forEach((n) => r.except.add(n));
        if (!r.wildcard) r.beforeWildcard = new Set(r.columns);
        r.wildcard = true;
        if (!counted.has(e)) r.wholeRows = true;
      }
    }
    childExprs(e).forEach(visit);
  };
  statementExprs(a.stmt).forEach(visit);
  // Folded aggregates read their arguments' columns, after the statement's (eKuiper's order).
  for (const f of options.incremental ?? []) {
    f.call.args.forEach(visit);
    if (f.call.filter) visit(f.call.filter);
  }
  return reads;
}

function streamFields(
  s: SourceInfo,
  r: Reads,
  options: LogicalPlanOptions,
): string[] | undefined {
  const cols = new Set(r.columns);
  const ts = optionString(s.def, "TIMESTAMP");
  if (options.isEventTime && ts) cols.add(ts);
  if (r.wildcard) {
    if (!s.columns) {
      // Schemaless `*`: eKuiper lists the columns it had met before the `*`, if any.
      const before = [...(r.beforeWildcard ?? [])].sort();
      return before.length > 0 ? before : undefined;
    }
    for (const c of s.columns) if (!r.except.has(c)) cols.add(c);
  }
  return [...cols].sort();
}

export function pruneColumns(
  root: ProjectPlan,
  a: AnalyzedSelect,
  options: LogicalPlanOptions,
): void {
  const reads = readsOf(a, options);
  for (const p of preOrder(root)) {
    if (p.op === "DataSourcePlan") {
      const r = reads.get(p.source.ref)!;
      p.streamFields = streamFields(p.source, r, options);
      p.rowColumns = r.wholeRows && !p.source.columns
        ? undefined
        : streamFields(p.source, { ...r, wildcard: r.wholeRows }, options);
    }
  }
}
