/**
 * Compiled expressions shared across rules. Rules of one family (100 rules
 * `SELECT id, temperature FROM s WHERE id % 100 = k AND temperature > 30`) compile the same
 * columns and conditions again and again; compiled once, every rule calls the same closures.
 * That is memory (10,000 rules), and it is speed: one closure called by every rule stays in
 * the CPU's caches and is one call target V8 can inline, where 100 copies of it were each cold
 * at their rule's turn and made every call site polymorphic (S3-100: the rest of the WHERE,
 * judged in the fan-out, cost a quarter as much shared; bench/RESULTS.md, session 14).
 *
 * Only what keeps no state of its own is shared: literals, columns, operators and scalar
 * functions. Aggregates, analytic functions and `last_hit_*` calls hold per-rule state, so an
 * expression containing one is compiled afresh (its pure parts are still shared). A scope takes
 * part by naming what its `field()` depends on (`CompileScope.shareKey`).
 *
 * Entries are held weakly: an expression no rule uses any more is collected with its closures.
 *
 * @module
 */
import type { CallExpr, Expr } from "../sql/ast.ts";
import type { FunctionRegistry } from "../functions/types.ts";
import type { CompiledExpr, Evaluator } from "./types.ts";
import { childExprs } from "./_children.ts";

/** Whether compiling `e` creates no per-rule state: no aggregate, analytic or hit calls. */
export function keepsNoState(e: Expr, registry: FunctionRegistry): boolean {
  if (e.kind === "Call" && !isPlainScalar(e, registry)) return false;
  for (const c of childExprs(e)) if (!keepsNoState(c, registry)) return false;
  return true;
}

function isPlainScalar(call: CallExpr, registry: FunctionRegistry): boolean {
  const def = registry.get(call.name.toLowerCase());
  // Unknown or misused functions fail to compile: nothing to share.
  return def !== undefined && def.kind === "scalar" && !def.hit && !call.over && !call.filter;
}

/** The expression's structure, positions left out: equal for the same text anywhere. */
function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === "span" ? undefined : v));
}

// Rules keep the evaluator, not the CompiledExpr around it: the evaluator is what is held
// weakly, and it keeps its CompiledExpr alive.
const entries = new Map<string, WeakRef<Evaluator>>();
const compiledOf = new WeakMap<Evaluator, CompiledExpr>();
const cleanup = new FinalizationRegistry<string>((key) => {
  if (entries.get(key)?.deref() === undefined) entries.delete(key);
});

/** Scope keys (a stream's schema as JSON, say) by a short number, so that entries' keys stay
 * short: a distinct expression costs its own text, not its stream's too. */
const scopeIds = new Map<string, number>();

/** The key of `e` compiled in the scope named `shareKey`. */
export function sharedKey(shareKey: string, e: Expr): string {
  let id = scopeIds.get(shareKey);
  if (id === undefined) scopeIds.set(shareKey, id = scopeIds.size);
  return `${id}:${exprKey(e)}`;
}

/** The expression compiled under `key`, compiled by `make` when no rule holds it. */
export function shared(key: string, make: () => CompiledExpr): CompiledExpr {
  const held = entries.get(key)?.deref();
  if (held !== undefined) return compiledOf.get(held)!;
  const compiled = make();
  const evaluator = compiled.eval;
  compiledOf.set(evaluator, compiled);
  entries.set(key, new WeakRef(evaluator));
  cleanup.register(evaluator, key);
  return compiled;
}

/** Expressions currently shared (for tests and diagnostics). */
export function sharedCount(): number {
  return entries.size;
}
