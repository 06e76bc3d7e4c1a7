import { expect } from "expect";
import { parseExpr } from "../../grammar/mod.ts";
import { compileExpr } from "./compile.ts";
import { sharedCount } from "./shared_compile.ts";
import { HitSite } from "./hit.ts";
import type { CompileScope, EvalContext } from "./types.ts";
import type { Tuple } from "../runtime/tuple.ts";
import { planRule } from "../planner/plan_rule.ts";
import { testCatalog } from "../planner/test_catalog.ts";

const scope = (shareKey: string | undefined): CompileScope => ({
  field: (ref) => ({ eval: (t) => t.message[ref.name] ?? null, type: "any" }),
  shareKey,
});
const ctx: EvalContext = { ruleId: "r", now: () => 0 };
const tuple = (message: Record<string, unknown>): Tuple => ({
  emitter: "s",
  message,
  meta: undefined,
  timestamp: 0,
});
const compile = (sql: string, s: CompileScope) => compileExpr(parseExpr(sql), s);

Deno.test("shared compile: the same expression in the same scope is compiled once", () => {
  const s = scope("shared-test-1");
  const a = compile("temperature > 30 AND upper(name) = 'PUMP'", s);
  // Another rule, written differently: positions do not matter.
  const b = compile("temperature  >  30  AND  upper(name)='PUMP'", scope("shared-test-1"));
  expect(b.eval).toBe(a.eval);
  expect(a.eval(tuple({ temperature: 31, name: "pump" }), ctx)).toBe(true);
  expect(b.eval(tuple({ temperature: 29, name: "pump" }), ctx)).toBe(false);
  // Another stream, alias or schema is another scope; no key, no sharing.
  expect(compile("temperature > 30", scope("shared-test-2")).eval)
    .not.toBe(compile("temperature > 30", s).eval);
  expect(compile("temperature > 30", scope(undefined)).eval)
    .not.toBe(compile("temperature > 30", scope(undefined)).eval);
});

Deno.test("shared compile: rules differing in a constant share the rest of the expression", () => {
  const s = scope("shared-test-3");
  const before = sharedCount();
  compile("id % 100 = 7 AND temperature > 30", s);
  const first = sharedCount() - before;
  compile("id % 100 = 8 AND temperature > 30", s);
  // New: the AND, `id % 100 = 8` and `8`. Shared: `id % 100`, `temperature > 30` and below.
  expect(sharedCount() - before - first).toBe(3);
});

Deno.test("shared compile: what keeps state is compiled per rule", () => {
  const s = scope("shared-test-4");
  // An analytic call compiled in place keeps its own previous value.
  const a = compile("lag(temperature) > 30", s);
  const b = compile("lag(temperature) > 30", s);
  expect(b.eval).not.toBe(a.eval);
  a.eval(tuple({ temperature: 40 }), ctx);
  expect(a.eval(tuple({ temperature: 10 }), ctx)).toBe(true);
  // b has seen nothing yet: its lag is null, and `null > 30` is false.
  expect(b.eval(tuple({ temperature: 10 }), ctx)).toBe(false);
  // last_hit_* read their rule's condition state.
  const hits = (): CompileScope => ({ ...s, hitSite: new HitSite() });
  expect(compile("last_hit_count() < 4", hits()).eval)
    .not.toBe(compile("last_hit_count() < 4", hits()).eval);
  // Their pure siblings are still shared: only the stateful part is new.
  compile("temperature > 30", s);
  const before = sharedCount();
  compile("temperature > 30 AND lag(temperature) > 30", s);
  expect(sharedCount() - before).toBe(0);
  // Errors are not remembered: each compile reports its own.
  expect(() => compile("nosuch(temperature)", s)).toThrow("nosuch");
  expect(() => compile("nosuch(temperature)", s)).toThrow("nosuch");
});

Deno.test("shared compile: rules of one family share their compiled columns", async () => {
  const catalog = await testCatalog();
  const plan = (k: number) =>
    planRule(`SELECT id, temperature + 1 AS t FROM demo WHERE id % 10 = ${k}`, catalog);
  const [a, b] = [plan(1), plan(2)];
  expect(b.fields.map((f) => f.eval)).toEqual(a.fields.map((f) => f.eval));
  expect(b.sources[0].filter).not.toBe(a.sources[0].filter);
  // An alias is part of the scope: `d.id` must not mean what `id` means elsewhere.
  const aliased = planRule("SELECT id, temperature + 1 AS t FROM demo AS d", catalog);
  expect(aliased.fields[0].eval).not.toBe(a.fields[0].eval);
});
