/**
 * Shorthands that fix the parts of a {@link FunctionDef} each kind shares, so that family
 * tables read as name -> signature -> body.
 *
 * @module
 */
import type { FunctionDef, NullPolicy } from "./types.ts";

interface Spec {
  /** Exact count, or `[min, max]` (max may be Infinity). */
  args: number | readonly [number, number];
  validate?: FunctionDef["validate"];
  returnType: FunctionDef["returnType"];
  /** Defaults to `nil`, the policy of most eKuiper functions. */
  nullPolicy?: NullPolicy;
  exec: FunctionDef["exec"];
  volatile?: boolean;
  incremental?: FunctionDef["incremental"];
  analytic?: FunctionDef["analytic"];
  hit?: FunctionDef["hit"];
  load?: FunctionDef["load"];
}

function define(name: string, kind: FunctionDef["kind"], spec: Spec): FunctionDef {
  const [minArgs, maxArgs] = typeof spec.args === "number" ? [spec.args, spec.args] : spec.args;
  const def: FunctionDef = {
    name,
    kind,
    minArgs,
    maxArgs,
    returnType: spec.returnType,
    nullPolicy: spec.nullPolicy ?? "nil",
    exec: spec.exec,
  };
  if (spec.validate) def.validate = spec.validate;
  if (spec.volatile) def.volatile = true;
  if (spec.incremental) def.incremental = spec.incremental;
  if (spec.analytic) def.analytic = spec.analytic;
  if (spec.hit) def.hit = spec.hit;
  if (spec.load) def.load = spec.load;
  return def;
}

export function scalar(name: string, spec: Spec): FunctionDef {
  return define(name, "scalar", spec);
}

export function aggregate(name: string, spec: Spec): FunctionDef {
  return define(name, "aggregate", spec);
}

export function analytic(name: string, spec: Spec): FunctionDef {
  return define(name, "analytic", spec);
}

/** Functions that shape the output rows (`unnest`, `extract`, `row_number`, ...): declared here
 * for their signature, compiled by the planner as SELECT fields (`src/planner/row_shaping.ts`). */
export function shaping(name: string, kind: "srf" | "cols" | "window", spec: Spec): FunctionDef {
  return define(name, kind, spec);
}
