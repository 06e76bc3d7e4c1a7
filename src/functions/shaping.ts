/**
 * Functions that shape output rows rather than compute a value (eKuiper's set-returning,
 * multi-column and window functions). They are legal only as a whole SELECT field; the planner
 * compiles them into the projection (`src/planner/row_shaping.ts`), so `exec` here is the plain
 * value part.
 *
 * - `unnest(array)`: one output row per element; object elements become columns, other
 *   elements a column named by the field's alias (else `unnest`); other fields repeat.
 * - `extract(object)`: the object's keys become columns of the row.
 * - `changed_cols(prefix, ignoreNull, expr|*, ...)`: the columns whose value changed since the
 *   rule's previous row, named `prefix` + column name (state per rule).
 * - `row_number() [OVER (PARTITION BY ... ORDER BY ...)]`: 1..n within one emission (a window's
 *   rows; a row alone is 1).
 *
 * @module
 */
import { shaping } from "./_define.ts";
import type { FunctionTable } from "./types.ts";

const identity = ([v]: unknown[]) => v ?? null;

export const shapingFunctions: FunctionTable = {
  unnest: shaping("unnest", "srf", { args: 1, returnType: "any", exec: identity }),
  extract: shaping("extract", "cols", { args: 1, returnType: "struct", exec: identity }),
  changed_cols: shaping("changed_cols", "cols", {
    args: [3, Infinity],
    returnType: "struct",
    nullPolicy: "custom",
    validate: (args) => {
      if (args[0].kind !== "StringLiteral") return "Expect string type for parameter 1";
      if (args[1].kind !== "BooleanLiteral") return "Expect bool type for parameter 2";
      return undefined;
    },
    exec: () => null,
  }),
  row_number: shaping("row_number", "window", { args: 0, returnType: "bigint", exec: () => 1 }),
};
