import { expect } from "expect";
import { parseExpr } from "../../grammar/mod.ts";
import type { CallExpr } from "../sql/ast.ts";
import { compileAnalyticCall, isAnalyticCall } from "./analytic.ts";
import { compileExpr } from "./compile.ts";
import { CTX, testScope, tuple } from "./_test_ast.ts";
import type { CompileScope } from "./types.ts";

const callOf = (sql: string) => parseExpr(sql) as CallExpr;

Deno.test("compileAnalyticCall() steps a slot per event and partition", () => {
  const slot = compileAnalyticCall(callOf("acc_sum(v) OVER (PARTITION BY k)"), testScope());
  expect(slot.type).toBe("float");
  const out = [
    { k: "a", v: 1 },
    { k: "b", v: 10 },
    { k: "a", v: 2 },
  ].map((m) => slot.step(tuple(m), CTX));
  expect(out).toEqual([1, 10, 3]);
});

Deno.test("an analytic slot's state snapshots as JSON and restores", () => {
  const sql = "lag(v, 2) OVER (PARTITION BY k1, k2)";
  const slot = compileAnalyticCall(callOf(sql), testScope());
  for (const v of [1, 2, 3]) slot.step(tuple({ k1: 1, k2: "x", v }), CTX);
  const saved = JSON.parse(JSON.stringify(slot.snapshot()));
  const fresh = compileAnalyticCall(callOf(sql), testScope());
  fresh.restore(saved);
  expect(fresh.step(tuple({ k1: 1, k2: "x", v: 4 }), CTX)).toBe(2);
  expect(slot.step(tuple({ k1: 1, k2: "x", v: 4 }), CTX)).toBe(2);
  // Other partition, empty state.
  expect(fresh.step(tuple({ k1: 2, k2: "x", v: 9 }), CTX)).toBe(null);
  expect(() => fresh.restore(42)).toThrow("invalid state of analytic function lag");
});

Deno.test("compileExpr() delegates analytic calls to scope.analytic when present", () => {
  const seen: string[] = [];
  const scope: CompileScope = {
    ...testScope(),
    analytic: (call) => {
      seen.push(call.name);
      return { eval: () => 42, type: "bigint" };
    },
  };
  const c = compileExpr(parseExpr("lag(a) + 1"), scope);
  expect(seen).toEqual(["lag"]);
  expect(c.eval(tuple({ a: 1 }), CTX)).toBe(43);
});

Deno.test("without the hook, analytic calls compile inline with their own state", () => {
  const c = compileExpr(parseExpr("acc_count(a) * 10"), testScope());
  expect([1, 2, 3].map((a) => c.eval(tuple({ a }), CTX))).toEqual([10, 20, 30]);
  expect(isAnalyticCall(callOf("lag(a)"))).toBe(true);
  expect(isAnalyticCall(callOf("abs(a)"))).toBe(false);
});

Deno.test("compileAnalyticCall() rejects what is not analytic", () => {
  expect(() => compileAnalyticCall(callOf("abs(a)"), testScope())).toThrow(
    "Found OVER after non analytic function abs",
  );
  expect(() => compileAnalyticCall(callOf("nope(a)"), testScope())).toThrow(
    "function nope not found",
  );
});
