/**
 * `CASE`: simple (`CASE v WHEN 1 THEN ...`, compared with `=` rules) and searched (`CASE WHEN
 * cond THEN ...`, only a `true` condition matches). No match and no ELSE gives null. Errors
 * while matching are reported as `evaluate case expression error: ...`, as in eKuiper.
 *
 * @module
 */
import type { CompiledExpr, Evaluator, ValueType } from "./types.ts";
import { EvalError } from "./types.ts";
import { MSG } from "./messages.ts";
import { compareValues } from "./compare.ts";
import { fold } from "./_node.ts";

export interface CompiledWhen {
  when: CompiledExpr;
  then: CompiledExpr;
}

function caseError(e: unknown): unknown {
  return e instanceof EvalError ? new EvalError(MSG.caseError(e.message)) : e;
}

/** One type if every branch has it, else unknown. */
function branchType(
  whens: readonly CompiledWhen[],
  otherwise: CompiledExpr | undefined,
): ValueType {
  const types = whens.map((w) => w.then.type);
  if (otherwise) types.push(otherwise.type);
  return types.every((t) => t === types[0]) ? types[0] : "any";
}

export function compileCase(
  operand: CompiledExpr | undefined,
  whens: readonly CompiledWhen[],
  otherwise: CompiledExpr | undefined,
): CompiledExpr {
  const conds = whens.map((w) => w.when.eval);
  const results = whens.map((w) => w.then.eval);
  const elseEval = otherwise?.eval;
  const n = conds.length;
  let evaluator: Evaluator;
  if (operand) {
    const oe = operand.eval;
    const oi = operand.type === "bigint";
    const ints = whens.map((w) => w.when.type === "bigint");
    evaluator = (t, c) => {
      let i = 0;
      try {
        const v = oe(t, c);
        for (; i < n; i++) if (compareValues("=", v, conds[i](t, c), oi, ints[i])) break;
      } catch (e) {
        throw caseError(e);
      }
      return i < n ? results[i](t, c) : elseEval ? elseEval(t, c) : null;
    };
  } else {
    evaluator = (t, c) => {
      let i = 0;
      try {
        for (; i < n; i++) if (conds[i](t, c) === true) break;
      } catch (e) {
        throw caseError(e);
      }
      return i < n ? results[i](t, c) : elseEval ? elseEval(t, c) : null;
    };
  }
  const children = whens.flatMap((w) => [w.when, w.then]);
  if (operand) children.push(operand);
  if (otherwise) children.push(otherwise);
  return fold({ eval: evaluator, type: branchType(whens, otherwise) }, children);
}
