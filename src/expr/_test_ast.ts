/**
 * Hand-built AST nodes, scopes and tuples for tests (the grammar lives elsewhere).
 *
 * @module
 */
import type {
  BinaryOp,
  CallExpr,
  CaseExpr,
  Expr,
  FieldRef,
  Span,
  TimeUnit,
  Wildcard,
  WindowExpr,
} from "../sql/ast.ts";
import type { Row, Tuple } from "../runtime/tuple.ts";
import type { CompiledExpr, CompileScope, EvalContext, ValueType } from "./types.ts";

export const SPAN: Span = { start: 0, end: 0 };

export const int = (value: number): Expr => ({ kind: "IntegerLiteral", value, span: SPAN });
export const num = (value: number): Expr => ({ kind: "NumberLiteral", value, span: SPAN });
export const str = (value: string): Expr => ({ kind: "StringLiteral", value, span: SPAN });
export const bool = (value: boolean): Expr => ({ kind: "BooleanLiteral", value, span: SPAN });
export const unit = (u: TimeUnit): Expr => ({ kind: "TimeUnitLiteral", unit: u, span: SPAN });
export const field = (name: string, stream?: string): FieldRef =>
  stream === undefined
    ? { kind: "FieldRef", name, span: SPAN }
    : { kind: "FieldRef", stream, name, span: SPAN };
export const star = (): Wildcard => ({ kind: "Wildcard", span: SPAN });

export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({
  kind: "Binary",
  op,
  left,
  right,
  span: SPAN,
});
export const and = (l: Expr, r: Expr): Expr => bin("AND", l, r);
export const or = (l: Expr, r: Expr): Expr => bin("OR", l, r);
export const not = (operand: Expr): Expr => ({ kind: "Unary", op: "NOT", operand, span: SPAN });
export const neg = (operand: Expr): Expr => ({ kind: "Unary", op: "-", operand, span: SPAN });

export const between = (expr: Expr, low: Expr, high: Expr, negated = false): Expr => ({
  kind: "Between",
  not: negated,
  expr,
  low,
  high,
  span: SPAN,
});
export const inList = (expr: Expr, list: Expr[] | Expr, negated = false): Expr => ({
  kind: "In",
  not: negated,
  expr,
  list,
  span: SPAN,
});
export const like = (expr: Expr, pattern: Expr, negated = false): Expr => ({
  kind: "Like",
  not: negated,
  expr,
  pattern,
  span: SPAN,
});
export const isNull = (expr: Expr, negated = false): Expr => ({
  kind: "IsNull",
  not: negated,
  expr,
  span: SPAN,
});

export const arrow = (object: Expr, ...keys: string[]): Expr =>
  keys.reduce<Expr>((o, key) => ({ kind: "Access", object: o, key, span: SPAN }), object);
export const index = (object: Expr, i: Expr): Expr => ({
  kind: "Index",
  object,
  index: i,
  span: SPAN,
});
export const slice = (object: Expr, start?: Expr, end?: Expr): Expr => {
  const e: Expr = { kind: "Slice", object, span: SPAN };
  if (start) e.start = start;
  if (end) e.end = end;
  return e;
};

export const caseOf = (
  operand: Expr | undefined,
  whens: [Expr, Expr][],
  otherwise?: Expr,
): CaseExpr => {
  const e: CaseExpr = {
    kind: "Case",
    whens: whens.map(([when, then]) => ({ when, then })),
    span: SPAN,
  };
  if (operand) e.operand = operand;
  if (otherwise) e.else = otherwise;
  return e;
};

export const call = (name: string, ...args: Expr[]): CallExpr => ({
  kind: "Call",
  name,
  args,
  span: SPAN,
});

export const tumbling = (): WindowExpr => ({
  kind: "Window",
  windowType: "TUMBLING_WINDOW",
  args: [unit("SS"), int(10)],
  span: SPAN,
});

/** A scope over `tuple.message` with optional static column types (default `any`). */
export function testScope(
  types: Record<string, ValueType> = {},
  aggregate?: (call: CallExpr) => CompiledExpr,
): CompileScope {
  const scope: CompileScope = {
    field: (ref) => {
      const name = ref.name;
      return { eval: (t) => t.message[name] ?? null, type: types[name] ?? "any" };
    },
  };
  if (aggregate) scope.aggregate = aggregate;
  return scope;
}

export function tuple(message: Row = {}, meta?: Row): Tuple {
  return { emitter: "demo", message, meta, timestamp: 0 };
}

export const CTX: EvalContext = { ruleId: "rule1", now: () => 1_700_000_000_000 };
