/**
 * Hoisted analytic calls (eKuiper's AnalyticFuncsPlan): every `lag(...)`, `acc_sum(...)`, ...
 * of a rule is compiled once into a slot; the FROM source's lane steps all slots for every
 * event before WHERE, storing the values on the tuple (`Tuple.analytic`), and the expressions
 * read them from there. The same call written twice (or copied by an alias) shares one slot.
 */
import type { CallExpr } from "../sql/ast.ts";
import type { CompiledExpr, CompileScope, EvalContext } from "../expr/types.ts";
import { type AnalyticSlot, compileAnalyticCall } from "../expr/analytic.ts";
import { builtinFunctions } from "../functions/mod.ts";
import type { Tuple } from "../runtime/tuple.ts";

function keyOf(call: CallExpr): string {
  return JSON.stringify(call, (k, v) => (k === "span" ? undefined : v));
}

export class AnalyticSlots {
  private readonly slots: AnalyticSlot[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(private readonly scope: () => CompileScope) {}

  get size(): number {
    return this.slots.length;
  }

  /** Registers `call` (its nested analytic calls first) and reads its value back. */
  hoist(call: CallExpr): CompiledExpr {
    const key = keyOf(call);
    let index = this.byKey.get(key);
    if (index === undefined) {
      const slot = compileAnalyticCall(call, this.scope(), builtinFunctions);
      index = this.slots.length;
      this.slots.push(slot);
      this.byKey.set(key, index);
    }
    const i = index;
    return {
      type: this.slots[i].type,
      eval: (t: Tuple) => {
        const v = t.analytic?.[i];
        return v === undefined ? null : v;
      },
    };
  }

  /** Steps every slot for `t` (in registration order: inner calls first). */
  step(t: Tuple, ctx: EvalContext): void {
    const values = new Array<unknown>(this.slots.length);
    t.analytic = values;
    for (let i = 0; i < this.slots.length; i++) values[i] = this.slots[i].step(t, ctx);
  }

  snapshot(): unknown[] {
    return this.slots.map((s) => s.snapshot());
  }

  restore(states: unknown[]): void {
    states.forEach((s, i) => this.slots[i]?.restore(s));
  }
}
