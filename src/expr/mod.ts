/**
 * Expressions: compile an AST expression once into a closure over tuples.
 *
 * @module
 */
export type { CompiledExpr, CompileScope, EvalContext, Evaluator, ValueType } from "./types.ts";
export { CompileError, EvalError } from "./types.ts";
export { compileExpr, constValue, isConstant } from "./compile.ts";
export {
  collectAggregates,
  compileAggregateCall,
  type CompiledAggregate,
  isAggregateCall,
} from "./aggregate.ts";
export { compareValues } from "./compare.ts";
export { likeToRegExp } from "./like.ts";
export { MSG } from "./messages.ts";
export {
  formatFloat,
  goString,
  isNilArg,
  isObject,
  toBool,
  toEpochMs,
  toInt,
  toJson,
  toNumber,
  typed,
  typeName,
  valueEquals,
  valueToString,
} from "./values.ts";
