/**
 * Test helpers: call a built-in as a compiled call site would (null policy, error wrapping),
 * and run its compile-time checks.
 *
 * @module
 */
import type { Expr } from "../sql/ast.ts";
import type { EvalContext, ValueType } from "../expr/types.ts";
import { builtinFunctions } from "./mod.ts";
import { invoke } from "./invoke.ts";
import { checkArgs, resolveReturnType } from "./signature.ts";
import type { FunctionDef } from "./types.ts";

export const CTX: EvalContext = { ruleId: "rule1", now: () => 1_700_000_000_000 };

export function def(name: string): FunctionDef {
  const d = builtinFunctions.get(name);
  if (!d) throw new Error(`no function ${name}`);
  return d;
}

/** Calls `name` on already evaluated arguments. */
export function run(name: string, ...args: unknown[]): unknown {
  return invoke(def(name), args, CTX);
}

/** The compile-time message for a call with these argument expressions, if any. */
export function check(name: string, ...args: Expr[]): string | undefined {
  return checkArgs(def(name), args);
}

export function returnType(name: string, types: ValueType[], args: Expr[] = []): ValueType {
  return resolveReturnType(def(name), types, args);
}

/** A table row: function, arguments, expected result (or `{ error }` for an EvalError). */
export type Row = [string, unknown[], unknown];

export async function table(t: Deno.TestContext, rows: Row[]): Promise<void> {
  for (const [name, args, want] of rows) {
    const label = `${name}(${args.map((a) => JSON.stringify(a)).join(", ")})`;
    await t.step(label, () => {
      if (want !== null && typeof want === "object" && "error" in want) {
        let thrown: unknown;
        try {
          run(name, ...args);
        } catch (e) {
          thrown = e;
        }
        if (!(thrown instanceof Error)) throw new Error(`${label} did not throw`);
        if (!thrown.message.includes(String(want.error))) {
          throw new Error(`${label} threw "${thrown.message}", want "${want.error}"`);
        }
        return;
      }
      const got = run(name, ...args);
      if (typeof want === "number" && typeof got === "number" && !Number.isInteger(want)) {
        if (Math.abs(got - want) > 1e-12) throw new Error(`${label} = ${got}, want ${want}`);
        return;
      }
      const same = JSON.stringify(got) === JSON.stringify(want) &&
        (got === null) === (want === null) &&
        Object.prototype.toString.call(got) === Object.prototype.toString.call(want);
      if (!same) throw new Error(`${label} = ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    });
  }
}

export const err = (error: string) => ({ error });
