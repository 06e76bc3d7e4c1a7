/**
 * Calling a function outside compiled code (aggregates, tests). Compiled call sites inline
 * the same steps (see `src/expr/call.ts`).
 *
 * @module
 */
import type { EvalContext } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { isNilArg } from "../expr/values.ts";
import { MSG } from "../expr/messages.ts";
import type { FunctionDef } from "./types.ts";

/** What a nil argument short-circuits to under the function's null policy (`custom`
 * functions never short-circuit). */
export function nilResult(def: FunctionDef): null | false | 0 {
  return def.nullPolicy === "false" ? false : def.nullPolicy === "zero" ? 0 : null;
}

/** Turns anything thrown by `exec` into eKuiper's `call func <name> error: <msg>`. */
export function callError(name: string, e: unknown): EvalError {
  const m = e instanceof Error ? e.message : String(e);
  return new EvalError(MSG.callError(name, m));
}

/** Applies the null policy, then `exec`, wrapping errors as a compiled call does. */
export function invoke(def: FunctionDef, args: unknown[], ctx: EvalContext): unknown {
  if (def.nullPolicy !== "custom") {
    for (const a of args) if (isNilArg(a)) return nilResult(def);
  }
  try {
    return def.exec(args, ctx);
  } catch (e) {
    throw callError(def.name, e);
  }
}
