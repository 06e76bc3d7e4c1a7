/**
 * Semantic analysis of a rule's SELECT: every name bound to a FROM/JOIN source, every clause
 * checked against eKuiper's rules, before any plan is built.
 *
 * The result is a *bound* copy of the statement: column references carry the name of the
 * source they read (its alias when it has one), `a.b` where `a` is no source becomes `a->b`,
 * and bare names that are SELECT aliases stay bare (the planner substitutes them). Errors are
 * PlanErrors prefixed with the line and column of the offending text; the messages after the
 * prefix are eKuiper's where it has one (`Not allowed to call aggregate functions in WHERE
 * clause.`).
 *
 * Going beyond eKuiper, HAVING may also refer to GROUP BY dimensions (standard SQL), and an
 * unqualified column of a join must be unambiguous across typed streams.
 *
 * @module
 */
import { positionOf } from "../../grammar/mod.ts";
import type {
  CallExpr,
  Expr,
  FieldRef,
  SelectField,
  SelectStatement,
  Span,
  WindowExpr,
} from "../sql/ast.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { optionString, type StreamDef } from "../catalog/stream_def.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import { CompileError, type CompileScope } from "../expr/types.ts";
import { compileExpr } from "../expr/compile.ts";
import { compileAggregateCall, isAggregateCall } from "../expr/aggregate.ts";
import { childExprs } from "../expr/_children.ts";
import { PlanError } from "../errors.ts";
import { checkArgs } from "../functions/signature.ts";
import { isShapingCall } from "./row_shaping.ts";
import { mapExpr } from "./map_expr.ts";

/** One FROM or JOIN source of a rule. */
export interface SourceInfo {
  /** The stream or table name in the catalog. */
  name: string;
  /** The name expressions use: the alias, else the name. */
  ref: string;
  def: StreamDef;
  /** Column names of a typed source; undefined when schemaless. */
  columns: ReadonlySet<string> | undefined;
  isTable: boolean;
  /** A table with `KIND="lookup"`: queried per event, never scanned. */
  isLookup: boolean;
}

export interface AnalyzedSelect {
  sql: string;
  /** The bound statement. */
  stmt: SelectStatement;
  /** FROM first, then JOIN sources in order. */
  sources: SourceInfo[];
  aliases: Map<string, Expr>;
  window: WindowExpr | undefined;
  /** GROUP BY expressions other than the window. */
  dimensions: Expr[];
  /** True when a SELECT, HAVING or ORDER BY expression aggregates, or there are GROUP BY
   * dimensions: one output row per group rather than per row. */
  isAggregate: boolean;
}

/** A PlanError located at `span` in `sql`. */
export function planErrorAt(sql: string, span: Span | undefined, message: string): PlanError {
  if (!span) return new PlanError(message);
  const { line, column } = positionOf(sql, span.start);
  return new PlanError(`line ${line}, column ${column}: ${message}`);
}

function sourcesOf(stmt: SelectStatement, catalog: Catalog, sql: string): SourceInfo[] {
  const refs = [stmt.from, ...stmt.joins.map((j) => j.source)];
  const seen = new Set<string>();
  return refs.map((r) => {
    const def = catalog.get(r.name);
    if (!def) throw planErrorAt(sql, r.span, `stream ${r.name} not found`);
    const ref = r.alias ?? r.name;
    if (seen.has(ref)) {
      throw planErrorAt(sql, r.span, `source ${ref} appears twice: give each an alias`);
    }
    seen.add(ref);
    const isTable = def.kind === "table";
    return {
      name: def.name,
      ref,
      def,
      columns: def.fields.length > 0 ? new Set(def.fields.map((f) => f.name)) : undefined,
      isTable,
      isLookup: isTable && optionString(def, "KIND")?.toLowerCase() === "lookup",
    };
  });
}

/** A `selfAlias` value meaning "no name is an alias here". */
const COLUMNS_ONLY = "\u0000columns";

/** Binds column references; `selfAlias` is the alias being defined (its own name is a column). */
class Binder {
  private readonly byRef = new Map<string, SourceInfo>();

  constructor(
    private readonly sql: string,
    private readonly sources: SourceInfo[],
    private readonly aliases: ReadonlyMap<string, Expr>,
    private readonly registry: FunctionRegistry,
  ) {
    for (const s of sources) {
      this.byRef.set(s.ref, s);
      // The bare stream name also qualifies an aliased source, as in eKuiper.
      if (!this.byRef.has(s.name)) this.byRef.set(s.name, s);
    }
  }

  source(name: string): SourceInfo | undefined {
    return this.byRef.get(name);
  }

  /**
   * `inSelect`: binding a SELECT field, where a name that is a column of a typed source is that
   * column, and names inside aggregate arguments are always columns (eKuiper's
   * `SELECT sum(temp) AS temp, count(temp) AS ct` counts the column).
   */
  bind(e: Expr, selfAlias?: string, inSelect = false): Expr {
    return mapExpr(e, (node) => {
      if (node.kind === "Call" && (node.name === "meta" || node.name === "mqtt")) {
        return node; // metadata keys are not columns
      }
      if (inSelect && node.kind === "Call" && isAggregateCall(node, this.registry)) {
        const columnsOnly = (a: Expr) => this.bind(a, COLUMNS_ONLY, inSelect);
        return {
          ...node,
          args: node.args.map(columnsOnly),
          filter: node.filter && columnsOnly(node.filter),
        };
      }
      if (inSelect && node.kind === "FieldRef" && node.stream === undefined) {
        if (this.sources.some((s) => s.columns?.has(node.name))) return this.bindBare(node);
      }
      if (node.kind === "Wildcard" && node.stream !== undefined) {
        const s = this.source(node.stream);
        if (!s) {
          throw planErrorAt(
            this.sql,
            node.span,
            `unknown stream ${node.stream} in ${node.stream}.*`,
          );
        }
        return { ...node, stream: s.ref };
      }
      if (node.kind === "FieldRef") return this.bindField(node, selfAlias);
      return undefined;
    });
  }

  private bindField(f: FieldRef, selfAlias: string | undefined): Expr {
    if (f.stream !== undefined) {
      const s = this.source(f.stream);
      if (s) return { ...f, stream: s.ref, name: this.checkColumn(s, f) };
      // `a.b` where `a` is no source: key b of column a.
      const base = this.bindField({ kind: "FieldRef", name: f.stream, span: f.span }, selfAlias);
      return { kind: "Access", object: base, key: f.name, span: f.span };
    }
    if (selfAlias !== COLUMNS_ONLY && f.name !== selfAlias && this.aliases.has(f.name)) return f;
    return this.bindBare(f);
  }

  private checkColumn(s: SourceInfo, f: FieldRef): string {
    if (s.columns && !s.columns.has(f.name)) {
      throw planErrorAt(this.sql, f.span, `unknown field ${f.name} in stream ${s.name}`);
    }
    return f.name;
  }

  private bindBare(f: FieldRef): Expr {
    if (this.sources.length === 1) {
      const s = this.sources[0];
      return { ...f, stream: s.ref, name: this.checkColumn(s, f) };
    }
    const typed = this.sources.filter((s) => s.columns?.has(f.name));
    if (typed.length === 1) return { ...f, stream: typed[0].ref };
    if (typed.length > 1) {
      const names = typed.map((s) => s.ref);
      throw planErrorAt(
        this.sql,
        f.span,
        `ambiguous field ${f.name}: it is a column of ${names.join(" and ")}; write ${
          names[0]
        }.${f.name}`,
      );
    }
    const schemaless = this.sources.filter((s) => !s.columns);
    if (schemaless.length === 1) return { ...f, stream: schemaless[0].ref };
    if (schemaless.length === 0) {
      throw planErrorAt(this.sql, f.span, `unknown field ${f.name}`);
    }
    return f; // several schemaless sources: resolved per event ($$default)
  }
}

/** Every expression of the statement that can read a column or call a function. */
export function statementExprs(stmt: SelectStatement): Expr[] {
  return [
    ...stmt.fields.map((f) => f.expr),
    ...(stmt.where ? [stmt.where] : []),
    ...(stmt.groupBy ?? []),
    ...(stmt.having ? [stmt.having] : []),
    ...(stmt.orderBy ?? []).map((o) => o.expr),
    ...stmt.joins.flatMap((j) => (j.on ? [j.on] : [])),
  ];
}

function walk(e: Expr, visit: (e: Expr) => boolean | void): void {
  if (visit(e) === false) return;
  for (const c of childExprs(e)) walk(c, visit);
}

/** Alias references replaced by what they alias, for checks that look through aliases. */
function expandAliases(e: Expr, aliases: ReadonlyMap<string, Expr>, depth = 0): Expr {
  if (depth > 32) return e;
  return mapExpr(e, (node) => {
    if (node.kind === "FieldRef" && node.stream === undefined) {
      const target = aliases.get(node.name);
      if (target) return expandAliases(target, aliases, depth + 1);
    }
    return undefined;
  });
}

/** The first aggregate call in `e`, or the alias reference that leads to one. */
function findAggregate(
  e: Expr,
  aliases: ReadonlyMap<string, Expr>,
  registry: FunctionRegistry,
  depth = 0,
): Expr | undefined {
  let found: Expr | undefined;
  walk(e, (n) => {
    if (found) return false;
    if (n.kind === "Call" && isAggregateCall(n, registry)) {
      found = n;
      return false;
    }
    if (n.kind === "FieldRef" && n.stream === undefined && depth < 32) {
      const target = aliases.get(n.name);
      if (target && findAggregate(target, aliases, registry, depth + 1)) found = n;
    }
  });
  return found;
}

function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, (k, v) => (k === "span" ? undefined : v)) ===
    JSON.stringify(b, (k, v) => (k === "span" ? undefined : v));
}

/**
 * eKuiper's HAVING rule: every column read outside an aggregate must come from an aggregate
 * (an alias of one); Weir also allows GROUP BY dimensions. Returns the offending node.
 */
function nonAggregateInHaving(
  e: Expr,
  dimensions: Expr[],
  registry: FunctionRegistry,
): Expr | undefined {
  let bad: Expr | undefined;
  walk(e, (n) => {
    if (bad) return false;
    if (dimensions.some((d) => sameExpr(d, n))) return false;
    if (n.kind === "Call" && isAggregateCall(n, registry)) return false;
    if (n.kind === "Call" && (n.name === "meta" || n.name === "mqtt")) return false;
    if (n.kind === "FieldRef" || n.kind === "Wildcard") {
      bad = n;
      return false;
    }
  });
  return bad;
}

function checkAliases(sql: string, fields: SelectField[]): Map<string, Expr> {
  const aliases = new Map<string, Expr>();
  for (const f of fields) {
    if (!f.alias) continue;
    if (aliases.has(f.alias)) throw planErrorAt(sql, f.span, `duplicate alias ${f.alias}`);
    aliases.set(f.alias, f.expr);
  }
  return aliases;
}

/** Unknown functions, arity and literal argument types: compiled once against a permissive
 * scope, so that rules the runtime cannot run yet are still fully checked. */
function checkFunctions(sql: string, e: Expr, registry: FunctionRegistry): void {
  const anyField = () => ({ type: "any" as const, eval: () => null });
  const scope: CompileScope = {
    field: anyField,
    aggregate: (call) => {
      compileAggregateCall(call, scope, registry);
      return anyField();
    },
  };
  try {
    compileExpr(e, scope, registry);
  } catch (err) {
    if (err instanceof CompileError) throw planErrorAt(sql, err.span, err.message);
    throw err;
  }
}

/**
 * Row-shaping functions (`unnest`, `extract`, `changed_cols`, `row_number`) stand only as a whole
 * SELECT field, and a SELECT has at most one `unnest` (eKuiper's rules).
 */
function checkShaping(
  sql: string,
  stmt: SelectStatement,
  all: Expr[],
  registry: FunctionRegistry,
): void {
  const topLevel = new Set<Expr>(stmt.fields.map((f) => f.expr));
  let srf = 0;
  for (const e of all) {
    walk(e, (n) => {
      if (!isShapingCall(n, registry)) return;
      if (!topLevel.has(n)) {
        throw planErrorAt(
          sql,
          n.span,
          `function ${n.name} is only allowed as a whole SELECT field`,
        );
      }
      if (registry.get(n.name)?.kind === "srf" && ++srf > 1) {
        throw planErrorAt(sql, n.span, "select clause should have only one set-returning function");
      }
    });
  }
}

/** A row-shaping call's own signature and its arguments' functions. */
function checkShapingCall(sql: string, call: CallExpr, registry: FunctionRegistry): void {
  const def = registry.get(call.name)!;
  const err = checkArgs(def, call.args);
  if (err) throw planErrorAt(sql, call.span, `validate function ${call.name} error: ${err}`);
  if (call.over && def.kind !== "window") {
    throw planErrorAt(sql, call.span, `Found OVER after non analytic function ${call.name}`);
  }
  for (const a of call.args) if (a.kind !== "Wildcard") checkFunctions(sql, a, registry);
  for (const p of call.over?.partitionBy ?? []) checkFunctions(sql, p, registry);
  for (const o of call.over?.orderBy ?? []) checkFunctions(sql, o.expr, registry);
}

export function analyzeSelect(
  sql: string,
  parsed: SelectStatement,
  catalog: Catalog,
  registry: FunctionRegistry,
): AnalyzedSelect {
  const sources = sourcesOf(parsed, catalog, sql);
  const rawAliases = checkAliases(sql, parsed.fields);
  const binder = new Binder(sql, sources, rawAliases, registry);

  const fields = parsed.fields.map((f) => ({ ...f, expr: binder.bind(f.expr, f.alias, true) }));
  const aliases = new Map<string, Expr>();
  for (const f of fields) if (f.alias) aliases.set(f.alias, f.expr);
  const bind = (e: Expr) => binder.bind(e);

  const groupBy = parsed.groupBy?.map(bind);
  const windows = (groupBy ?? []).filter((g): g is WindowExpr => g.kind === "Window");
  if (windows.length > 1) {
    throw planErrorAt(sql, windows[1].span, "only one window is allowed in GROUP BY");
  }
  const dimensions = (groupBy ?? []).filter((g) => g.kind !== "Window");
  const stmt: SelectStatement = {
    ...parsed,
    fields,
    joins: parsed.joins.map((j) => ({ ...j, on: j.on && bind(j.on) })),
    where: parsed.where && bind(parsed.where),
    groupBy,
    having: parsed.having && bind(parsed.having),
    orderBy: parsed.orderBy?.map((o) => ({ ...o, expr: bind(o.expr) })),
  };

  // Clause rules, in eKuiper's order.
  if (stmt.where) {
    const agg = findAggregate(stmt.where, aliases, registry);
    if (agg) {
      throw planErrorAt(sql, agg.span, "Not allowed to call aggregate functions in WHERE clause.");
    }
  }
  for (const d of groupBy ?? []) {
    const agg = findAggregate(d, aliases, registry);
    if (agg) {
      throw planErrorAt(
        sql,
        agg.span,
        "Not allowed to call aggregate functions in GROUP BY clause.",
      );
    }
  }
  for (const j of stmt.joins) {
    const agg = j.on && findAggregate(j.on, aliases, registry);
    if (agg) {
      throw planErrorAt(sql, agg.span, "Not allowed to call aggregate functions in JOIN ON.");
    }
  }
  if (dimensions.length > 0 && windows.length === 0) {
    // eKuiper's message; a GROUP BY needs a window to know which rows form a group.
    throw planErrorAt(sql, dimensions[0].span, "select stmt group by should be used with window");
  }
  if (stmt.having) {
    const bad = nonAggregateInHaving(expandAliases(stmt.having, aliases), dimensions, registry);
    if (bad) {
      throw planErrorAt(
        sql,
        bad.span,
        "Not allowed to call non-aggregate functions in HAVING clause.",
      );
    }
  }
  const all: Expr[] = [
    ...fields.map((f) => f.expr),
    ...(stmt.where ? [stmt.where] : []),
    ...(groupBy ?? []),
    ...(stmt.having ? [stmt.having] : []),
    ...(stmt.orderBy ?? []).map((o) => o.expr),
    ...stmt.joins.flatMap((j) => (j.on ? [j.on] : [])),
  ];
  checkShaping(sql, stmt, all, registry);
  for (const e of all) {
    walk(e, (n) => {
      if (n.kind === "Call" && isAggregateCall(n, registry)) {
        for (const a of n.args) {
          if (findAggregate(a, aliases, registry)) {
            throw planErrorAt(
              sql,
              a.span,
              `invalid argument for func ${n.name}: aggregate argument is not allowed`,
            );
          }
        }
      }
    });
    if (e.kind === "Wildcard") e.replace?.forEach((r) => checkFunctions(sql, r.expr, registry));
    else if (isShapingCall(e, registry)) checkShapingCall(sql, e, registry);
    else if (e.kind !== "Window") checkFunctions(sql, e, registry);
  }

  const aggregating = [
    ...fields.map((f) => f.expr),
    ...(stmt.having ? [stmt.having] : []),
    ...(stmt.orderBy ?? []).map((o) => o.expr),
  ].some((e) => findAggregate(e, aliases, registry) !== undefined);

  const isAggregate = aggregating || dimensions.length > 0;
  // eKuiper: a plain rule's hit functions count rows; an aggregate or window rule has the
  // `agg` forms (a sliding window's trigger, evaluated per row, may still use the plain ones).
  for (const e of all) {
    walk(e, (n) => {
      if (n.kind === "Window") return false;
      if (n.kind !== "Call") return;
      const def = registry.get(n.name);
      if (!def?.hit) return;
      if ((isAggregate || windows.length > 0) && def.kind === "scalar") {
        throw planErrorAt(sql, n.span, `function ${n.name} is not allowed in an aggregate query`);
      }
    });
  }
  return {
    sql,
    stmt,
    sources,
    aliases,
    window: windows[0],
    dimensions,
    isAggregate,
  };
}
