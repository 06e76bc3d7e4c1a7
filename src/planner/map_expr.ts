/**
 * Rebuilds an expression tree top-down: `fn` may replace a node (its result is used as is),
 * or return undefined to keep the node and map its children. Nodes are copied, never mutated.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";

export function mapExpr(e: Expr, fn: (e: Expr) => Expr | undefined): Expr {
  const replaced = fn(e);
  if (replaced !== undefined) return replaced;
  const m = (x: Expr) => mapExpr(x, fn);
  switch (e.kind) {
    case "FieldRef":
    case "IntegerLiteral":
    case "NumberLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "TimeUnitLiteral":
      return e;
    case "Wildcard":
      return e.replace ? { ...e, replace: e.replace.map((r) => ({ ...r, expr: m(r.expr) })) } : e;
    case "Binary":
      return { ...e, left: m(e.left), right: m(e.right) };
    case "Unary":
      return { ...e, operand: m(e.operand) };
    case "Between":
      return { ...e, expr: m(e.expr), low: m(e.low), high: m(e.high) };
    case "In":
      return { ...e, expr: m(e.expr), list: Array.isArray(e.list) ? e.list.map(m) : m(e.list) };
    case "Like":
      return { ...e, expr: m(e.expr), pattern: m(e.pattern) };
    case "IsNull":
      return { ...e, expr: m(e.expr) };
    case "Access":
      return { ...e, object: m(e.object) };
    case "Index":
      return { ...e, object: m(e.object), index: m(e.index) };
    case "Slice":
      return { ...e, object: m(e.object), start: e.start && m(e.start), end: e.end && m(e.end) };
    case "Case":
      return {
        ...e,
        operand: e.operand && m(e.operand),
        whens: e.whens.map((w) => ({ when: m(w.when), then: m(w.then) })),
        else: e.else && m(e.else),
      };
    case "Call":
      return {
        ...e,
        args: e.args.map(m),
        filter: e.filter && m(e.filter),
        over: e.over && {
          partitionBy: e.over.partitionBy.map(m),
          orderBy: e.over.orderBy?.map((o) => ({ ...o, expr: m(o.expr) })),
          when: e.over.when && m(e.over.when),
        },
      };
    case "Window":
      return {
        ...e,
        args: e.args.map(m),
        filter: e.filter && m(e.filter),
        trigger: e.trigger && m(e.trigger),
        partitionBy: e.partitionBy?.map(m),
      };
  }
}
