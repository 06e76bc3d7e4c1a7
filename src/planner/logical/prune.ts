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
import type { AnalyzedSelect, SourceInfo } from "../analyze.ts";
import type { LogicalPlanOptions } from "./build.ts";
import { preOrder, type ProjectPlan } from "./plan.ts";

interface Reads {
  columns: Set<string>;
  wildcard: boolean;
  except: Set<string>;
}

/** Every expression of the statement that can read a column. */
function statementExprs(a: AnalyzedSelect): Expr[] {
  const { stmt } = a;
  return [
    ...stmt.fields.map((f) => f.expr),
    ...(stmt.where ? [stmt.where] : []),
    ...(stmt.groupBy ?? []),
    ...(stmt.having ? [stmt.having] : []),
    ...(stmt.orderBy ?? []).map((o) => o.expr),
    ...stmt.joins.flatMap((j) => (j.on ? [j.on] : [])),
  ];
}

function readsOf(a: AnalyzedSelect): Map<string, Reads> {
  const reads = new Map<string, Reads>(
    a.sources.map((s) => [s.ref, { columns: new Set(), wildcard: false, except: new Set() }]),
  );
  const all = [...reads.values()];
  const visit = (e: Expr) => {
    if (e.kind === "Call" && (e.name === "meta" || e.name === "mqtt")) return;
    if (e.kind === "FieldRef") {
      if (e.stream !== undefined) reads.get(e.stream)?.columns.add(e.name);
      else if (!a.aliases.has(e.name)) {
        // An unbound column (several schemaless sources) may come from any of them.
        for (const s of a.sources) if (!s.columns) reads.get(s.ref)!.columns.add(e.name);
      }
    } else if (e.kind === "Wildcard") {
      const targets = e.stream ? [reads.get(e.stream)!] : all;
      for (const r of targets) {
        if (e.except?.length || e.replace?.length) {
          (e.except ?? []).forEach((n) => r.except.add(n));
          r.wildcard = true;
        } else {
          r.wildcard = true;
        }
      }
    }
    childExprs(e).forEach(visit);
  };
  statementExprs(a).forEach(visit);
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
    if (!s.columns) return undefined;
    for (const c of s.columns) if (!r.except.has(c)) cols.add(c);
  }
  return [...cols].sort();
}

export function pruneColumns(
  root: ProjectPlan,
  a: AnalyzedSelect,
  options: LogicalPlanOptions,
): void {
  const reads = readsOf(a);
  for (const p of preOrder(root)) {
    if (p.op === "DataSourcePlan") {
      p.streamFields = streamFields(p.source, reads.get(p.source.ref)!, options);
    }
  }
}
