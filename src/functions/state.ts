/**
 * Functions that read state kept outside the row: eKuiper's implicit state functions
 * (`last_hit_count`, `last_hit_time` for plain rules, `last_agg_hit_count`,
 * `last_agg_hit_time` for aggregate rules), compiled per call site by `src/expr/hit.ts`, and
 * `get_keyed_state`, which reads the keyed state store (`POST /keyedstate`, kept in SQLite).
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { aggregate, scalar } from "./_define.ts";
import { CAST_TARGETS, type CastTarget, castTo } from "./conversion.ts";
import { stringLiteral } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

const KEYED_TYPES = ["bigint", "float", "string", "boolean", "datetime"];

const compiledElsewhere = () => {
  throw new EvalError("compiled by the planner");
};

export const stateFunctions: FunctionTable = {
  last_hit_count: scalar("last_hit_count", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    hit: "count",
    exec: compiledElsewhere,
  }),
  last_hit_time: scalar("last_hit_time", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    hit: "time",
    exec: compiledElsewhere,
  }),
  last_agg_hit_count: aggregate("last_agg_hit_count", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    hit: "count",
    exec: compiledElsewhere,
  }),
  last_agg_hit_time: aggregate("last_agg_hit_time", {
    args: 0,
    returnType: "bigint",
    volatile: true,
    hit: "time",
    exec: compiledElsewhere,
  }),
  /** `get_keyed_state(key, dataType, default)`: the stored value converted to dataType, or
   * the default when the key is absent. */
  get_keyed_state: scalar("get_keyed_state", {
    args: 3,
    validate: (args) => {
      const t = stringLiteral(args[1]);
      if (t !== undefined && !KEYED_TYPES.includes(t)) {
        return `expect one of ${KEYED_TYPES.join(", ")} for parameter 2, got ${t}`;
      }
    },
    returnType: (_types, args) => {
      const t = stringLiteral(args[1]);
      return t !== undefined && KEYED_TYPES.includes(t) ? t as CastTarget : "any";
    },
    nullPolicy: "custom",
    volatile: true,
    exec: ([key, type, fallback], ctx) => {
      if (key === null || key === undefined) return fallback ?? null;
      if (typeof type !== "string" || !(CAST_TARGETS as readonly string[]).includes(type)) {
        throw new EvalError(`expect one of ${KEYED_TYPES.join(", ")} for parameter 2`);
      }
      const v = ctx.keyedState?.(String(key));
      if (v === undefined || v === null) return fallback ?? null;
      return castTo(v, type as CastTarget);
    },
  }),
};
