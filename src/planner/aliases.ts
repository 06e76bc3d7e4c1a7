/**
 * Alias references: an alias defined in the SELECT list may be used by later fields and in
 * WHERE, HAVING and ORDER BY (eKuiper's code does this, although its docs say otherwise).
 * Weir substitutes the aliased expression into the referencing one at plan time, so evaluation
 * needs no alias lookup. Inside its own expression an alias named like a column means the
 * column.
 */
import type { Expr, SelectField } from "../sql/ast.ts";
import { PlanError } from "../errors.ts";

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
  seen: Set<string> = new Set(),
): Expr {
  const sub = (e: Expr): Expr => substituteAliases(e, aliases, self, seen);
  switch (expr.kind) {
    case "FieldRef": {
      if (expr.stream !== undefined || expr.name === self) return expr;
      const target = aliases.get(expr.name);
      if (!target) return expr;
      if (seen.has(expr.name)) throw new PlanError(`cyclic alias reference ${expr.name}`);
      return substituteAliases(target, aliases, expr.name, new Set([...seen, expr.name]));
    }
    case "Binary":
      return { ...expr, left: sub(expr.left), right: sub(expr.right) };
    case "Unary":
      return { ...expr, operand: sub(expr.operand) };
    case "Between":
      return { ...expr, expr: sub(expr.expr), low: sub(expr.low), high: sub(expr.high) };
    case "In":
      return {
        ...expr,
        expr: sub(expr.expr),
        list: Array.isArray(expr.list) ? expr.list.map(sub) : sub(expr.list),
      };
    case "Like":
      return { ...expr, expr: sub(expr.expr), pattern: sub(expr.pattern) };
    case "IsNull":
      return { ...expr, expr: sub(expr.expr) };
    case "Access":
      return { ...expr, object: sub(expr.object) };
    case "Index":
      return { ...expr, object: sub(expr.object), index: sub(expr.index) };
    case "Slice":
      return {
        ...expr,
        object: sub(expr.object),
        start: expr.start && sub(expr.start),
        end: expr.end && sub(expr.end),
      };
    case "Case":
      return {
        ...expr,
        operand: expr.operand && sub(expr.operand),
        whens: expr.whens.map((w) => ({ when: sub(w.when), then: sub(w.then) })),
        else: expr.else && sub(expr.else),
      };
    case "Call":
      // meta(key) names a metadata key, not a column: leave its argument alone.
      if (expr.name === "meta" || expr.name === "mqtt") return expr;
      return {
        ...expr,
        args: expr.args.map(sub),
        filter: expr.filter && sub(expr.filter),
      };
    default:
      return expr;
  }
}
