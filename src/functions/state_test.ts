import { expect } from "expect";
import { CTX, def } from "./_test_util.ts";
import { invoke } from "./invoke.ts";
import { compileSql, SQL_CTX } from "./_sql_test_util.ts";
import { tuple } from "../expr/_test_ast.ts";

Deno.test("get_keyed_state(): the stored value in the asked type, else the default", () => {
  const store: Record<string, unknown> = { limit: "3", on: "true", f: 2 };
  const ctx = { ...CTX, keyedState: (k: string) => store[k] };
  const get = (...args: unknown[]) => invoke(def("get_keyed_state"), args, ctx);
  expect(get("limit", "bigint", 0)).toBe(3);
  expect(get("on", "boolean", false)).toBe(true);
  expect(get("f", "string", "")).toBe("2");
  expect(get("missing", "float", 1.5)).toBe(1.5);
  expect(get(null, "bigint", 7)).toBe(7);
  expect(() => get("limit", "money", 0)).toThrow(/parameter 2/);
  expect(() => get("on", "bigint", 0)).toThrow(/not supported type conversion/);
  // Without a store (no REST home), every key is missing.
  expect(invoke(def("get_keyed_state"), ["limit", "bigint", 9], CTX)).toBe(9);
});

Deno.test("delay(): asks the rule to hold, gives the value; a bad time is an error", () => {
  const asked: number[] = [];
  const ctx = { ...CTX, delay: (ms: number) => asked.push(ms) };
  expect(invoke(def("delay"), [250, "x"], ctx)).toBe("x");
  expect(asked).toEqual([250]);
  expect(() => invoke(def("delay"), [-1, "x"], ctx)).toThrow(/non-negative integer/);
  expect(() => compileSql('delay("soon", 1)')).toThrow(/Expect int type for parameter 1/);
});

Deno.test("last_hit_count(): outside a condition each evaluation is a hit", () => {
  const e = compileSql("last_hit_count()");
  const t = tuple({});
  expect([e.eval(t, SQL_CTX), e.eval(t, SQL_CTX), e.eval(t, SQL_CTX)]).toEqual([0, 1, 2]);
  const time = compileSql("last_hit_time()");
  expect(time.eval({ ...t, timestamp: 5 }, SQL_CTX)).toBe(0);
  expect(time.eval({ ...t, timestamp: 9 }, SQL_CTX)).toBe(5);
});
