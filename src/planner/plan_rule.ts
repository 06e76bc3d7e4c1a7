/**
 * Plans a rule's SELECT into what the runtime builds operators from: the stream to read, its
 * decoder, the compiled WHERE condition, the compiled projection, ORDER BY and LIMIT. Every
 * expression is compiled here, so a rule that plans is a rule that runs: unknown streams,
 * columns and functions, wrong arity and unsupported clauses are all found at creation time
 * and reported with the line and column of the offending text.
 */
import { parseSelect, positionOf } from "../../grammar/mod.ts";
import type { CallExpr, Expr, SelectStatement, StreamField } from "../sql/ast.ts";
import type { CompiledExpr, Evaluator } from "../expr/types.ts";
import { CompileError } from "../expr/types.ts";
import { compileExpr } from "../expr/compile.ts";
import { compileAggregateCall } from "../expr/aggregate.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { formatName, type StreamDef } from "../catalog/stream_def.ts";
import { type Format, getFormat } from "../formats/mod.ts";
import { PlanError } from "../errors.ts";
import { collectAliases, substituteAliases } from "./aliases.ts";
import { outputName } from "./output_names.ts";
import { StreamScope } from "./scope.ts";

export interface ProjectField {
  name: string;
  eval?: Evaluator;
  /** `*` (or `s.*`), minus EXCEPT names, with REPLACE fields applied after. */
  wildcard?: { except: Set<string>; replace: { name: string; eval: Evaluator }[] };
}

export interface OrderKey {
  eval: Evaluator;
  descending: boolean;
}

export interface RulePlan {
  stmt: SelectStatement;
  stream: StreamDef;
  format: Format;
  schema: StreamField[] | undefined;
  filter: Evaluator | undefined;
  fields: ProjectField[];
  orderBy: OrderKey[] | undefined;
  limit: number | undefined;
}

function unsupported(what: string, issue: string): never {
  throw new PlanError(`${what} is not supported yet (planned: ${issue})`);
}

/** Runs `fn`, turning compile errors into plan errors that carry the SQL position. */
function located<T>(sql: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CompileError) {
      if (e.span) {
        const { line, column } = positionOf(sql, e.span.start);
        throw new PlanError(`line ${line}, column ${column}: ${e.message}`);
      }
      throw new PlanError(e.message);
    }
    throw e;
  }
}

/** Aggregates outside a window aggregate the single current row (eKuiper). */
function singleRowAggregate(scope: () => StreamScope) {
  return (call: CallExpr): CompiledExpr => {
    const agg = compileAggregateCall(call, scope(), builtinFunctions);
    const args = agg.args;
    const filter = agg.filter;
    return {
      type: agg.type,
      eval: (t, ctx) => {
        const keep = !filter || filter.eval(t, ctx) === true;
        return agg.exec(args.map((a) => (keep ? [a.eval(t, ctx)] : [])), ctx);
      },
    };
  };
}

export function planRule(sql: string, catalog: Catalog): RulePlan {
  const stmt = parseSelect(sql);
  if (stmt.joins.length > 0) unsupported("JOIN", "the windows and joins issue");
  if (stmt.groupBy && stmt.groupBy.length > 0) {
    unsupported("GROUP BY and windows", "the windows and joins issue");
  }
  if (stmt.having) unsupported("HAVING", "the windows and joins issue");

  const stream = catalog.get(stmt.from.name);
  if (!stream) throw new PlanError(`stream ${stmt.from.name} not found`);
  if (stream.kind === "table") {
    unsupported(`reading table ${stream.name} in a rule`, "the windows and joins issue");
  }
  const format = getFormat(formatName(stream));
  if (!format) throw new PlanError(`format ${formatName(stream)} is not supported`);

  const scope: StreamScope = new StreamScope(
    stream,
    stmt.from.alias,
    singleRowAggregate(() => scope),
  );
  const compile = (e: Expr) => located(sql, () => compileExpr(e, scope, builtinFunctions));
  const aliases = collectAliases(stmt.fields);
  const resolve = (e: Expr) => located(sql, () => substituteAliases(e, aliases));

  const fields: ProjectField[] = [];
  stmt.fields.forEach((f, i) => {
    if (f.invisible) return;
    if (f.expr.kind === "Wildcard") {
      const w = f.expr;
      if (w.stream !== undefined && !scope.isSource(w.stream)) {
        throw new PlanError(`unknown stream ${w.stream} in ${w.stream}.*`);
      }
      fields.push({
        name: "*",
        wildcard: {
          except: new Set(w.except ?? []),
          replace: (w.replace ?? []).map((r) => ({ name: r.alias, eval: compile(r.expr).eval })),
        },
      });
      return;
    }
    const expr = located(sql, () => substituteAliases(f.expr, aliases, f.alias));
    fields.push({ name: outputName(f, i), eval: compile(expr).eval });
  });

  return {
    stmt,
    stream,
    format,
    schema: stream.fields.length > 0 ? stream.fields : undefined,
    filter: stmt.where ? compile(resolve(stmt.where)).eval : undefined,
    fields,
    orderBy: stmt.orderBy?.map((o) => ({
      eval: compile(resolve(o.expr)).eval,
      descending: o.descending,
    })),
    limit: stmt.limit,
  };
}
