/**
 * Alias references: an alias defined in the SELECT list may be used by later fields and in
 * WHERE, HAVING and ORDER BY (eKuiper's code does this, although its docs say otherwise).
 * Weir substitutes the aliased expression into the referencing one at plan time, so evaluation
 * needs no alias lookup. Inside its own expression an alias named like a column means the
 * column.
 */
import type { Expr, SelectField } from "../sql/ast.ts";
import { PlanError } from "../errors.ts";
import { mapExpr } from "./map_expr.ts";

export type AliasMap = Map<string, Expr>;

export function collectAliases(fields: SelectField[]): AliasMap {
  const m: AliasMap = new Map();
  for (const f of fields) if (f.alias) m.set(f.alias, f.expr);
  return m;
}

/** Returns `expr` with bare references to aliases (other than `self`) replaced. */
export function substituteAliases(
  expr: Expr,
  aliases: AliasMap,
  self?: string,
  seen: ReadonlySet<string> = new Set(),
): Expr {
  return mapExpr(expr, (e) => {
    // meta(key) names a metadata key, not a column: leave its argument alone.
    if (e.kind === "Call" && (e.name === "meta" || e.name === "mqtt")) return e;
    if (e.kind !== "FieldRef" || e.stream !== undefined || e.name === self) return undefined;
    const target = aliases.get(e.name);
    if (!target) return e;
    if (seen.has(e.name)) throw new PlanError(`cyclic alias reference ${e.name}`);
    return substituteAliases(target, aliases, e.name, new Set([...seen, e.name]));
  });
}
