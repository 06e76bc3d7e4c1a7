/**
 * Other scalar functions (eKuiper `funcs_misc.go`): null handling, identifiers, time, rule
 * and message metadata.
 *
 * `meta(key)` and `mqtt(topic|messageid)` take a metadata *reference*, not a value: the
 * expression compiler reads `tuple.meta` for them directly (see `src/expr/call.ts`), and their
 * entries here only declare them.
 *
 * @module
 */
import { EvalError, type ValueType } from "../expr/types.ts";
import { typed } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import { uuidV1 } from "./_uuid.ts";
import type { FunctionTable } from "./types.ts";

/** One type if every argument has it; `float` for mixed numbers; else unknown. */
function commonType(types: ValueType[]): ValueType {
  if (types.every((t) => t === types[0])) return types[0] ?? "any";
  return types.every((t) => t === "bigint" || t === "float") ? "float" : "any";
}

/** Placeholder body of the metadata functions, which are compiled specially. */
const metaReference = ([v]: unknown[]) => v ?? null;

export const miscFunctions: FunctionTable = {
  isnull: scalar("isnull", {
    args: 1,
    returnType: "boolean",
    nullPolicy: "custom",
    exec: ([v]) => v == null,
  }),
  coalesce: scalar("coalesce", {
    args: [1, Infinity],
    returnType: commonType,
    nullPolicy: "custom",
    exec: (args) => {
      for (const a of args) if (a != null) return a;
      return null;
    },
  }),
  newuuid: scalar("newuuid", {
    args: 0,
    returnType: "string",
    volatile: true,
    exec: () => uuidV1(),
  }),
  tstamp: scalar("tstamp", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: (_args, ctx) => ctx.now(),
  }),
  rule_id: scalar("rule_id", {
    args: 0,
    returnType: "string",
    volatile: true,
    exec: (_args, ctx) => ctx.ruleId,
  }),
  rule_start: scalar("rule_start", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: (_args, ctx) => ctx.ruleStart ?? 0,
  }),
  window_start: scalar("window_start", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: (_args, ctx) => ctx.window?.start ?? 0,
  }),
  window_end: scalar("window_end", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: (_args, ctx) => ctx.window?.end ?? 0,
  }),
  /** `windowStart()` / `windowEnd()`: the spelling of eKuiper's early docs and talks (the
   * user's seed 000 uses it); the same functions. */
  windowstart: scalar("windowstart", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: (_args, ctx) => ctx.window?.start ?? 0,
  }),
  windowend: scalar("windowend", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: (_args, ctx) => ctx.window?.end ?? 0,
  }),
  /** Compiled specially (it reads the tuple's timestamp); declared here. */
  event_time: scalar("event_time", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    exec: () => null,
  }),
  /** `delay(ms, value)`: holds the rule for ms (no input, results wait; see
   * `src/runtime/delay_hold.ts`), then gives `value`. */
  delay: scalar("delay", {
    args: 2,
    validate: expect(["int", "any"]),
    returnType: ([, t]) => t ?? "any",
    nullPolicy: "custom",
    volatile: true,
    exec: ([ms, value], ctx) => {
      if (typeof ms !== "number" || !Number.isInteger(ms) || ms < 0) {
        throw new EvalError(`delay time must be a non-negative integer of ms, got ${typed(ms)}`);
      }
      ctx.delay?.(ms);
      return value ?? null;
    },
  }),
  /** Identity; eKuiper's incremental plans use it to pass a computed column through. */
  bypass: scalar("bypass", {
    args: 1,
    returnType: ([t]) => t ?? "any",
    nullPolicy: "custom",
    exec: ([v]) => v ?? null,
  }),
  meta: scalar("meta", {
    args: 1,
    returnType: "any",
    nullPolicy: "custom",
    volatile: true,
    exec: metaReference,
  }),
  mqtt: scalar("mqtt", {
    args: 1,
    returnType: "any",
    nullPolicy: "custom",
    volatile: true,
    exec: metaReference,
  }),
};
