/**
 * Plan errors with the SQL position, and the "not supported yet" refusal.
 *
 * @module
 */
import { positionOf } from "../../grammar/mod.ts";
import { CompileError } from "../expr/types.ts";
import { PlanError } from "../errors.ts";

/** Refuses a construct the runtime cannot run yet, naming the issue that brings it. */
export function unsupported(what: string, issue: string): never {
  throw new PlanError(`${what} is not supported yet (planned: ${issue})`);
}

/** Runs `fn`, turning compile errors into plan errors that carry the SQL position. */
export function located<T>(sql: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CompileError) {
      if (e.span) {
        const { line, column } = positionOf(sql, e.span.start);
        throw new PlanError(`line ${line}, column ${column}: ${e.message}`);
      }
      throw new PlanError(e.message);
    }
    throw e;
  }
}
