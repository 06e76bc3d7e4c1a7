/**
 * The expression compiler: an AST {@link Expr} becomes, once, a closure
 * `(tuple, ctx) => value` with a static {@link ValueType}. Each operator picks a closure
 * specialised for it (and for constant operands and integer operands); literal-only subtrees
 * fold into constants. Semantics follow eKuiper (SPEC §3.4, §4.3); each sub-compiler documents
 * its rules and the places where Weir deliberately differs.
 *
 * @example
 * ```ts
 * import { compileExpr } from "./compile.ts";
 * import type { CompileScope } from "./types.ts";
 * import type { Expr } from "../sql/ast.ts";
 *
 * const scope: CompileScope = {
 *   field: (ref) => ({ eval: (t) => t.message[ref.name] ?? null, type: "any" }),
 * };
 * const span = { start: 0, end: 0 };
 * const expr: Expr = {
 *   kind: "Binary",
 *   op: ">",
 *   left: { kind: "FieldRef", name: "temperature", span },
 *   right: { kind: "IntegerLiteral", value: 20, span },
 *   span,
 * };
 * const hot = compileExpr(expr, scope);
 * const tuple = { emitter: "demo", message: { temperature: 25 }, meta: undefined, timestamp: 0 };
 * console.log(hot.eval(tuple, { ruleId: "r1", now: () => 0 })); // true
 * ```
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { CompiledExpr, CompileScope, Evaluator } from "./types.ts";
import { CompileError, EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { typed } from "./values.ts";
import { type CompileCtx, constant, fold } from "./_node.ts";
import { compileArith, compileBitwise } from "./arith.ts";
import { compileBetween, compileCompare, isCompareOp } from "./compare.ts";
import { compileAnd, compileNot, compileOr } from "./logic.ts";
import { compileAccess, compileIndex, compileSlice } from "./access.ts";
import { compileInArray, compileInList, compileIsNull, compileLike } from "./predicates.ts";
import { compileCase } from "./case.ts";
import { compileCall } from "./call.ts";
import { keepsNoState, shared, sharedKey } from "./shared_compile.ts";

export { constValue, isConstant } from "./_node.ts";

/**
 * Compiles `expr` against `scope` (which resolves field references and, where legal,
 * aggregate calls) and `registry` (the SQL functions; the built-ins by default).
 * Throws a CompileError for what can be known wrong before any data arrives.
 */
export function compileExpr(
  expr: Expr,
  scope: CompileScope,
  registry: FunctionRegistry = builtinFunctions,
): CompiledExpr {
  const share = registry === builtinFunctions ? scope.shareKey : undefined;
  const cc: CompileCtx = {
    scope,
    registry,
    compile: share === undefined
      ? (e) => compileNode(e, cc)
      : (e) =>
        keepsNoState(e, registry)
          ? shared(sharedKey(share, e), () => compileNode(e, cc))
          : compileNode(e, cc),
  };
  return cc.compile(expr);
}

function compileNegate(operand: CompiledExpr): CompiledExpr {
  const e = operand.eval;
  const int = operand.type === "bigint";
  const evaluator: Evaluator = (t, c) => {
    const v = e(t, c);
    if (typeof v === "number") return -v;
    if (v == null) return null;
    throw new EvalError(MSG.invalidUnary("-", typed(v, int)));
  };
  return fold({ eval: evaluator, type: int ? "bigint" : "float" }, [operand]);
}

function compileNode(e: Expr, cc: CompileCtx): CompiledExpr {
  const compile = cc.compile;
  switch (e.kind) {
    case "IntegerLiteral":
      return constant(e.value, "bigint");
    case "NumberLiteral":
      return constant(e.value, "float");
    case "StringLiteral":
      return constant(e.value, "string");
    case "BooleanLiteral":
      return constant(e.value, "boolean");
    case "TimeUnitLiteral":
      throw new CompileError(MSG.timeUnitNotAllowed(e.unit), e.span);
    case "FieldRef":
      return cc.scope.field(e);
    case "Wildcard":
      throw new CompileError(MSG.wildcardNotAllowed, e.span);
    case "Window":
      throw new CompileError(MSG.windowNotAllowed, e.span);
    case "Binary": {
      const l = compile(e.left), r = compile(e.right);
      const op = e.op;
      if (op === "AND") return compileAnd(l, r);
      if (op === "OR") return compileOr(l, r);
      if (isCompareOp(op)) return compileCompare(op, l, r);
      if (op === "&" || op === "|" || op === "^") return compileBitwise(op, l, r);
      return compileArith(op, l, r);
    }
    case "Unary":
      return e.op === "NOT" ? compileNot(compile(e.operand)) : compileNegate(compile(e.operand));
    case "Between":
      return compileBetween(e.not, compile(e.expr), compile(e.low), compile(e.high));
    case "In":
      return Array.isArray(e.list)
        ? compileInList(e.not, compile(e.expr), e.list.map(compile))
        : compileInArray(e.not, compile(e.expr), compile(e.list));
    case "Like":
      return compileLike(e.not, compile(e.expr), compile(e.pattern));
    case "IsNull":
      return compileIsNull(e.not, compile(e.expr));
    case "Access":
      return compileAccess(compile(e.object), e.key);
    case "Index":
      return compileIndex(compile(e.object), compile(e.index));
    case "Slice":
      return compileSlice(
        compile(e.object),
        e.start && compile(e.start),
        e.end && compile(e.end),
      );
    case "Case":
      return compileCase(
        e.operand && compile(e.operand),
        e.whens.map((w) => ({ when: compile(w.when), then: compile(w.then) })),
        e.else && compile(e.else),
      );
    case "Call":
      return compileCall(e, cc);
  }
}
