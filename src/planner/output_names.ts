/**
 * eKuiper's output column naming: the alias; else the field name (for `a->b` the last key, for
 * `arr[0]` the array's name); for a function call its lower-case name; else
 * `kuiper_field_<n>` with n the field's position.
 */
import type { Expr, SelectField } from "../sql/ast.ts";

function nameOf(e: Expr): string | undefined {
  switch (e.kind) {
    case "FieldRef":
      return e.name;
    case "Access":
      return e.key;
    case "Index":
    case "Slice":
      return nameOf(e.object);
    case "Call":
      return e.name;
    default:
      return undefined;
  }
}

export function outputName(field: SelectField, position: number): string {
  return field.alias ?? nameOf(field.expr) ?? `kuiper_field_${position}`;
}
