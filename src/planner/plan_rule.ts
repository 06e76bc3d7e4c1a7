/**
 * Plans a rule: parse -> analyse (`analyze.ts`) -> logical plan (`logical/`, what EXPLAIN prints)
 * -> lowering (`lower.ts`) -> the runtime plan (`rule_plan.ts`) with every expression compiled.
 * A rule that plans is a rule that runs: unknown streams, columns and functions, wrong arity and
 * unsupported shapes are all found at creation time, reported with the line and column of the
 * offending text.
 */
import { type DispatchKey, dispatchKey, leftmostAsTrue } from "./dispatch_key.ts";
import { parseSelect } from "../../grammar/mod.ts";
import type { Expr, SelectStatement } from "../sql/ast.ts";
import { childExprs } from "../expr/_children.ts";
import type { CompileScope } from "../expr/types.ts";
import { compileExpr } from "../expr/compile.ts";
import { HitSite } from "../expr/hit.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { formatConfig, formatName, optionString, sourceType } from "../catalog/stream_def.ts";
import { getFormat } from "../formats/mod.ts";
import { PlanError } from "../errors.ts";
import type { WindowStagePlan } from "../runtime/window_stage.ts";
import { collectAliases, substituteAliases } from "./aliases.ts";
import { outputName } from "./output_names.ts";
import { StreamScope } from "./scope.ts";
import { JoinScope } from "./join_scope.ts";
import { type AnalyzedSelect, analyzeSelect, statementExprs } from "./analyze.ts";
import { buildLogicalPlan } from "./logical/build.ts";
import type { DataSourcePlan, ProjectPlan } from "./logical/plan.ts";
import { explainPlan } from "./explain/explain.ts";
import { AnalyticSlots } from "./analytic_slots.ts";
import { groupAggregate } from "./group_aggregate.ts";
import { lower } from "./lower.ts";
import { lookupOf } from "./lookup.ts";
import { located, unsupported } from "./plan_errors.ts";
import { windowSpecOf } from "./window_spec.ts";
import { isShapingCall, shapingField } from "./row_shaping.ts";
import { type IncFunc, incrementalEnabled, rewriteIncremental } from "./incremental.ts";
import { firstRowReads, foldFunc, withIncColumns } from "./fold_compile.ts";
import type { FoldPlan } from "../runtime/windows/mod.ts";
import type { ProjectField, RulePlan, SourceStagePlan, TableStagePlan } from "./rule_plan.ts";

export interface PlanOptions {
  /** Rule option `isEventTime`. */
  isEventTime?: boolean;
  /** Rule option `planOptimizeStrategy` (`enableIncrementalWindow`). */
  planOptimizeStrategy?: Record<string, unknown>;
}

export interface LogicalRule {
  analyzed: AnalyzedSelect;
  logical: ProjectPlan;
  /** The folded aggregates, when the window aggregates incrementally. */
  incremental: IncFunc[] | undefined;
}

/** Parses, analyses and plans a rule's SQL into its logical plan. */
export function planLogical(sql: string, catalog: Catalog, options: PlanOptions = {}): LogicalRule {
  let analyzed = analyzeSelect(sql, parseSelect(sql), catalog, builtinFunctions);
  const folded = incrementalEnabled(options.planOptimizeStrategy)
    ? rewriteIncremental(analyzed, builtinFunctions)
    : undefined;
  if (folded) analyzed = folded.analyzed;
  const logical = buildLogicalPlan(analyzed, builtinFunctions, {
    isEventTime: options.isEventTime ?? false,
    incremental: folded?.funcs,
  });
  return { analyzed, logical, incremental: folded?.funcs };
}

/** The EXPLAIN text of a rule's SQL. */
export function explainRule(sql: string, catalog: Catalog, options: PlanOptions = {}): string {
  const { analyzed, logical } = planLogical(sql, catalog, options);
  return explainPlan(logical, { aliases: analyzed.aliases });
}

/**
 * The columns a window must keep of a source's rows (its pruned StreamFields), when the window
 * holds rows and they would carry more; undefined to keep rows whole.
 */
function windowKeeps(
  lowered: ReturnType<typeof lower>,
  rule: LogicalRule,
  source: DataSourcePlan,
): string[] | undefined {
  if (!lowered.window || rule.incremental) return undefined;
  const keep = source.rowColumns;
  if (!keep) return undefined;
  const columns = source.source.columns;
  if (columns && keep.length >= columns.size) return undefined;
  return keep;
}

/**
 * The columns a tumbling or hopping window over one stream holds its rows as (see
 * `runtime/windows/row_columns.ts`): the columns the rule reads, when they are known and rows
 * carry nothing else (no join, no lookup, no analytic values, not folded). Undefined: the window
 * holds tuples. The caller checks for analytic functions and tables.
 */
function heldColumns(
  lowered: ReturnType<typeof lower>,
  rule: LogicalRule,
  sources: SourceStagePlan[],
): { emitter: string; names: string[] } | undefined {
  const type = lowered.window?.window.windowType;
  if (type !== "TUMBLING_WINDOW" && type !== "HOPPING_WINDOW") return undefined;
  if (rule.incremental || lowered.join || lowered.lookups.length > 0) return undefined;
  if (lowered.sources.length !== 1) return undefined;
  const source = lowered.sources[0].source;
  if (!source.rowColumns) return undefined;
  return { emitter: sources[0].ref, names: source.rowColumns };
}

/** Thrown while compiling a routed WHERE that would keep state of its own. */
const STATEFUL = new Error("stateful condition");

export function planRule(sql: string, catalog: Catalog, options: PlanOptions = {}): RulePlan {
  const rule = planLogical(sql, catalog, options);
  const stmt = rule.analyzed.stmt;
  const lowered = lower(rule.logical);
  const multi = rule.analyzed.sources.length > 1;
  const aggregate = groupAggregate(() => scope);
  const analytic = new AnalyticSlots(() => scope);
  const scope: CompileScope = multi
    ? new JoinScope(rule.analyzed.sources, aggregate)
    : new StreamScope(
      lowered.sources[0].source.source.def,
      stmt.from.alias,
      aggregate,
      (call) => analytic.hoist(call),
    );
  const compileScope = rule.incremental ? withIncColumns(scope) : scope;
  const compile = (e: Expr) => located(sql, () => compileExpr(e, compileScope, builtinFunctions));
  const aliases = collectAliases(stmt.fields);
  const resolve = (e: Expr) => located(sql, () => substituteAliases(e, aliases));
  const evaluator = (e: Expr | undefined) => (e ? compile(resolve(e)).eval : undefined);
  /** WHERE, HAVING and trigger conditions: their `last_hit_*` calls count the condition's
   * hits (see `src/expr/hit.ts`). */
  const condition = (e: Expr | undefined, aliased = true) => {
    if (!e) return undefined;
    const site = new HitSite();
    const conditionScope: CompileScope = Object.create(compileScope);
    conditionScope.hitSite = site;
    const expr = aliased ? resolve(e) : e;
    return site.wrap(located(sql, () => compileExpr(expr, conditionScope, builtinFunctions)).eval);
  };
  /** A SHARED stream's dispatch key of a WHERE, with what decides the rows routed by it. */
  const dispatch = (where: Expr, ref: string): DispatchKey | undefined => {
    const key = dispatchKey(where, ref, (e) => compile(e).eval);
    if (!key) return undefined;
    const rest = leftmostAsTrue(where);
    if (!rest) return { ...key, routed: { condition: undefined } };
    // Compiled a second time, a `last_hit_*` or analytic call would keep a second state.
    const scope: CompileScope = Object.create(compileScope);
    scope.hitSite = {
      add: () => {
        throw STATEFUL;
      },
    } as unknown as HitSite;
    (scope as { analytic?: unknown }).analytic = () => {
      throw STATEFUL;
    };
    try {
      return { ...key, routed: { condition: compileExpr(rest, scope, builtinFunctions).eval } };
    } catch (e) {
      if (e === STATEFUL) return key;
      throw e;
    }
  };
  const orderBy = (stmt.orderBy ?? []).map((o) => ({
    eval: compile(resolve(o.expr)).eval,
    descending: o.descending,
  }));

  const sources: SourceStagePlan[] = lowered.sources.map(({ source, filter }, i) => {
    const stream = source.source.def;
    if (source.source.isTable) {
      unsupported(`reading table ${stream.name} in a rule`, "the windows and joins issue");
    }
    const format = getFormat(formatName(stream), formatConfig(stream));
    if (!format) throw new PlanError(`format ${formatName(stream)} is not supported`);
    return {
      stream,
      ref: source.source.ref,
      format,
      schema: stream.fields.length > 0 ? stream.fields : undefined,
      filter: condition(filter),
      dispatch: multi || !filter ? undefined : dispatch(resolve(filter), source.source.ref),
      analytic: i === 0 ? analytic : undefined,
      keep: windowKeeps(lowered, rule, source),
    };
  });

  const tables: TableStagePlan[] = lowered.tables.map(({ source }) => {
    const stream = source.def;
    const format = getFormat(formatName(stream), formatConfig(stream));
    if (!format) throw new PlanError(`format ${formatName(stream)} is not supported`);
    const retain = Number(optionString(stream, "RETAIN_SIZE") ?? "");
    return {
      stream,
      ref: source.ref,
      format,
      schema: stream.fields.length > 0 ? stream.fields : undefined,
      // Without RETAIN_SIZE a table holds its source's last batch: a whole file, else one row.
      retainSize: Number.isInteger(retain) && retain > 0
        ? retain
        : sourceType(stream) === "file"
        ? Number.MAX_SAFE_INTEGER
        : 1,
    };
  });

  const lookups = lowered.lookups.map((l) => lookupOf(sql, l, (e) => compile(e).eval));

  let window: WindowStagePlan | undefined;
  const dimensionExprs = lowered.dimensions.map((d) => compile(resolve(d)));
  const dimensions = dimensionExprs.map((d) => d.eval);
  const having = condition(lowered.having);
  const join = lowered.join && {
    from: lowered.join.from.ref,
    steps: lowered.join.joins.map((j) => ({
      joinType: j.joinType,
      source: j.source.ref,
      on: evaluator(j.on),
    })),
    order: rule.analyzed.sources.map((s) => s.ref),
  };
  if (lowered.window || join || lookups.length > 0) {
    const w = lowered.window?.window;
    const parts = w && {
      filter: w.filter && compile(w.filter).eval,
      trigger: condition(w.trigger, false),
      args: w.args.map((
        a,
      ) => (a.kind === "Binary" || a.kind === "Call" || a.kind === "FieldRef"
        ? compile(a).eval
        : undefined)
      ),
      partitionBy: (w.partitionBy ?? []).map((p) => compile(p).eval),
    };
    // Validate the window's literal arguments now (count interval > size, ...).
    if (w && parts) located(sql, () => windowSpecOf(w, parts, { ruleId: "", now: () => 0 }));
    const fold: FoldPlan | undefined = rule.incremental && {
      dimensions,
      funcs: rule.incremental.map((f) => foldFunc(f, (e) => compile(e).eval)),
      where: condition(lowered.filterAfter),
      firstRow: firstRowReads(rule.analyzed),
    };
    window = {
      spec: w && parts && ((ctx) => windowSpecOf(w, parts, ctx)),
      fold,
      join,
      lookups: lookups.map((l) => l.step),
      filter: fold ? undefined : condition(lowered.filterAfter),
      grouped: !fold && rule.analyzed.isAggregate,
      dimensions,
      dimensionColumns: dimensionExprs.map((d) => d.column),
      columns: undefined, // below, once every expression is compiled
      having,
      orderBy,
      limit: stmt.limit,
    };
  } else if (having) {
    // Without a window each row is its own group: HAVING is one more per-row condition.
    const where = sources[0].filter;
    sources[0].filter = where ? (t, c) => where(t, c) === true && having(t, c) === true : having;
  }

  const fields: ProjectField[] = [];
  stmt.fields.forEach((f, i) => {
    if (f.invisible) return;
    if (f.expr.kind === "Wildcard") {
      const w = f.expr;
      fields.push({
        name: "*",
        wildcard: {
          stream: multi ? w.stream : undefined,
          except: new Set(w.except ?? []),
          replace: (w.replace ?? []).map((r) => ({ name: r.alias, eval: compile(r.expr).eval })),
        },
      });
      return;
    }
    const expr = located(sql, () => substituteAliases(f.expr, aliases, f.alias));
    if (isShapingCall(expr, builtinFunctions)) {
      fields.push(shapingField(f, expr, outputName(f, i), (e) => compile(e).eval));
      return;
    }
    fields.push({ name: outputName(f, i), eval: compile(expr).eval });
  });

  if (window && analytic.size === 0 && tables.length === 0) {
    window.columns = heldColumns(lowered, rule, sources);
  }

  const usesDelay = callsFunction(stmt, "delay");
  // A rule holding its input (delay) reads one message per turn from its own buffer.
  if (usesDelay) sources[0].dispatch = undefined;
  return {
    stmt,
    sources,
    tables,
    lookupTables: lookups.map((l) => l.table),
    fields,
    orderBy: orderBy.length > 0 ? orderBy : undefined,
    limit: stmt.limit,
    window,
    logical: rule.logical,
    usesDelay,
  };
}

/** True when the statement calls `name` anywhere. */
function callsFunction(stmt: SelectStatement, name: string): boolean {
  const visit = (e: Expr): boolean =>
    (e.kind === "Call" && e.name.toLowerCase() === name) || childExprs(e).some(visit);
  return statementExprs(stmt).some(visit);
}
