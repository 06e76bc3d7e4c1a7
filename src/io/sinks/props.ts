/**
 * Parsing of sink props with user-facing errors. Props come from rule JSON (typed values) or
 * from YAML/REST strings, so "true" and "5000" are accepted as well as true and 5000.
 *
 * @module
 */

export function boolProp(props: Record<string, unknown>, name: string, def: boolean): boolean {
  const v = props[name];
  if (v === undefined || v === null || v === "") return def;
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new Error(`invalid ${name} ${JSON.stringify(v)}: expected true or false`);
}

export function intProp(
  props: Record<string, unknown>,
  name: string,
  def: number,
  min = 0,
): number {
  const v = props[name];
  if (v === undefined || v === null || v === "") return def;
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) {
    throw new Error(`invalid ${name} ${JSON.stringify(v)}: expected an integer >= ${min}`);
  }
  return n;
}

export function requiredString(props: Record<string, unknown>, name: string, sink: string): string {
  const v = props[name];
  if (typeof v !== "string" || v.trim() === "") throw new Error(`${sink} sink ${name} is required`);
  return v;
}
