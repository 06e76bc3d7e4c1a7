/**
 * The direct sub-expressions of an expression, for walks over the AST at compile time.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";

export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case "FieldRef":
    case "IntegerLiteral":
    case "NumberLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "TimeUnitLiteral":
      return [];
    case "Wildcard":
      return e.replace?.map((r) => r.expr) ?? [];
    case "Binary":
      return [e.left, e.right];
    case "Unary":
      return [e.operand];
    case "Between":
      return [e.expr, e.low, e.high];
    case "In":
      return [e.expr, ...(Array.isArray(e.list) ? e.list : [e.list])];
    case "Like":
      return [e.expr, e.pattern];
    case "IsNull":
      return [e.expr];
    case "Access":
      return [e.object];
    case "Index":
      return [e.object, e.index];
    case "Slice":
      return [e.object, ...(e.start ? [e.start] : []), ...(e.end ? [e.end] : [])];
    case "Case":
      return [
        ...(e.operand ? [e.operand] : []),
        ...e.whens.flatMap((w) => [w.when, w.then]),
        ...(e.else ? [e.else] : []),
      ];
    case "Call":
      return [
        ...e.args,
        ...(e.filter ? [e.filter] : []),
        ...(e.over
          ? [
            ...e.over.partitionBy,
            ...(e.over.orderBy ?? []).map((o) => o.expr),
            ...(e.over.when ? [e.over.when] : []),
          ]
          : []),
      ];
    case "Window":
      return [
        ...e.args,
        ...(e.filter ? [e.filter] : []),
        ...(e.trigger ? [e.trigger] : []),
        ...(e.partitionBy ?? []),
      ];
  }
}
