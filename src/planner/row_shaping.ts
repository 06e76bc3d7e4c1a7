/**
 * SELECT fields that shape rows instead of computing one value: `unnest`, `extract`,
 * `changed_cols`, `row_number` (see `src/functions/shaping.ts` for their meaning). They are
 * legal only as a whole SELECT field; this compiles them into projection fields.
 *
 * @module
 */
import type { CallExpr, Expr, SelectField } from "../sql/ast.ts";
import type { Evaluator } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { valueEquals } from "../expr/values.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import type { Row, Tuple } from "../runtime/tuple.ts";
import type { ProjectField } from "./rule_plan.ts";

/** True when `e` is a call of a row-shaping function. */
export function isShapingCall(e: Expr, registry: FunctionRegistry): e is CallExpr {
  if (e.kind !== "Call") return false;
  const kind = registry.get(e.name)?.kind;
  return kind === "srf" || kind === "cols" || kind === "window";
}

/** The column name a `changed_cols` argument stands for. */
function columnName(e: Expr): string | undefined {
  if (e.kind === "FieldRef") return e.name;
  if (e.kind === "Access") return e.key;
  return undefined;
}

/** Compiles a row-shaping SELECT field; `compile` compiles an ordinary expression. */
export function shapingField(
  f: SelectField,
  call: CallExpr,
  name: string,
  compile: (e: Expr) => Evaluator,
): ProjectField {
  switch (call.name) {
    case "unnest":
      return { name: f.alias ?? "unnest", eval: compile(call.args[0]), unnest: true };
    case "extract": {
      const arg = compile(call.args[0]);
      return {
        name,
        expand: true,
        eval: (t, c) => {
          const v = arg(t, c);
          if (v === null || v === undefined) return null;
          if (typeof v !== "object" || Array.isArray(v) || v instanceof Uint8Array) {
            throw new EvalError("call func extract error: extract needs an object");
          }
          return v;
        },
      };
    }
    case "changed_cols":
      return { name, expand: true, eval: changedCols(call, compile) };
    case "row_number":
      return {
        name,
        eval: () => 1,
        rowNumber: {
          partitionBy: (call.over?.partitionBy ?? []).map(compile),
          orderBy: (call.over?.orderBy ?? []).map((o) => ({
            eval: compile(o.expr),
            descending: o.descending,
          })),
        },
      };
    default:
      throw new Error(`unknown row-shaping function ${call.name}`);
  }
}

/** `changed_cols(prefix, ignoreNull, cols...)`: the columns that differ from the rule's
 * previous row (state per rule; the first row reports every non-null column). */
function changedCols(call: CallExpr, compile: (e: Expr) => Evaluator): Evaluator {
  const [prefixArg, ignoreArg, ...colArgs] = call.args;
  const prefix = prefixArg.kind === "StringLiteral" ? prefixArg.value : "";
  const ignoreNull = ignoreArg.kind === "BooleanLiteral" && ignoreArg.value;
  const cols = colArgs.map((a, i) => ({
    wildcard: a.kind === "Wildcard",
    name: columnName(a) ?? `kuiper_field_${i}`,
    eval: a.kind === "Wildcard" ? undefined : compile(a),
  }));
  const previous = new Map<string, unknown>();
  return (t: Tuple, c) => {
    const out: Row = {};
    const consider = (name: string, v: unknown) => {
      if (v === undefined) v = null;
      if (v === null && ignoreNull) return;
      if (previous.has(name)) {
        const before = previous.get(name);
        if ((before === null && v === null) || valueEquals(before, v)) return;
      }
      previous.set(name, v);
      out[prefix + name] = v;
    };
    for (const col of cols) {
      if (col.wildcard) { for (const k in t.message) consider(k, t.message[k]); }
      else consider(col.name, col.eval!(t, c));
    }
    return out;
  };
}
