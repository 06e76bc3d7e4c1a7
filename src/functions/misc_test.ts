import { expect } from "expect";
import { uuidV1 } from "./_uuid.ts";
import { CTX, def, returnType, run, table } from "./_test_util.ts";
import { invoke } from "./invoke.ts";
import { compileSql, SQL_CTX } from "./_sql_test_util.ts";
import { tuple } from "../expr/_test_ast.ts";

Deno.test("isnull() and coalesce()", (t) =>
  table(t, [
    ["isnull", [null], true],
    ["isnull", [0], false],
    ["isnull", [[]], false],
    ["coalesce", [null, null, 3], 3],
    ["coalesce", [null, "a", "b"], "a"],
    ["coalesce", [null], null],
  ]));

Deno.test("coalesce() keeps a common static type", () => {
  expect(returnType("coalesce", ["bigint", "bigint"])).toBe("bigint");
  expect(returnType("coalesce", ["bigint", "float"])).toBe("float");
  expect(returnType("coalesce", ["string", "bigint"])).toBe("any");
});

Deno.test("tstamp() and rule_id() read the rule context", () => {
  expect(run("tstamp")).toBe(CTX.now());
  expect(run("rule_id")).toBe("rule1");
});

const UUID_V1 = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

Deno.test("newuuid() returns distinct version 1 UUIDs", () => {
  const ids = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = run("newuuid") as string;
    expect(id).toMatch(UUID_V1);
    ids.add(id);
  }
  expect(ids.size).toBe(1000);
});

Deno.test("uuidV1() encodes the time: later ids carry a later timestamp", () => {
  const time = (id: string) => {
    const [low, mid, hi] = id.split("-");
    return BigInt(`0x${hi.slice(1)}${mid}${low}`);
  };
  const a = uuidV1(1_700_000_000_000);
  const b = uuidV1(1_700_000_000_000);
  const c = uuidV1(1_700_000_000_001);
  expect(a).not.toBe(b);
  expect(time(b) > time(a)).toBe(true);
  expect(time(c) - time(a)).toBe(10000n - 0n - 0n);
});

Deno.test("functions that depend on more than their arguments are volatile", () => {
  for (const name of ["rand", "newuuid", "tstamp", "rule_id", "meta", "mqtt"]) {
    expect(def(name).volatile).toBe(true);
  }
  expect(def("upper").volatile).toBe(undefined);
});

Deno.test("window_start(), window_end() and rule_start() read the context", () => {
  expect(run("window_start")).toBe(0);
  expect(run("window_end")).toBe(0);
  expect(run("rule_start")).toBe(0);
  const ctx = { ...CTX, window: { start: 1000, end: 2000 }, ruleStart: 500 };
  expect(invoke(def("window_start"), [], ctx)).toBe(1000);
  expect(invoke(def("window_end"), [], ctx)).toBe(2000);
  expect(invoke(def("rule_start"), [], ctx)).toBe(500);
});

Deno.test("event_time() is the tuple's timestamp, or the window end in a window", () => {
  const c = compileSql("event_time()");
  expect(c.type).toBe("bigint");
  const t = { ...tuple({}), timestamp: 1234 };
  expect(c.eval(t, SQL_CTX)).toBe(1234);
  expect(c.eval(t, { ...SQL_CTX, window: { start: 1, end: 99 } })).toBe(99);
});

Deno.test("bypass() passes its argument through", () => {
  expect(run("bypass", { a: 1 })).toEqual({ a: 1 });
  expect(run("bypass", null)).toBe(null);
});
