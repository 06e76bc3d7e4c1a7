import { expect } from "expect";
import { MemoryPubSub } from "./pubsub.ts";
import type { Row } from "../../runtime/tuple.ts";

Deno.test("memory pubsub: exact and wildcard filters, arrays, unsubscribe", () => {
  const ps = new MemoryPubSub();
  const got: Record<string, [string, Row][]> = { exact: [], plus: [], hash: [], other: [] };
  const subs = [
    ps.subscribe("a/b", (r, t) => got.exact.push([t, r])),
    ps.subscribe("a/+", (r, t) => got.plus.push([t, r])),
    ps.subscribe("#", (r, t) => got.hash.push([t, r])),
    ps.subscribe("x/#", (r, t) => got.other.push([t, r])),
  ];
  expect(ps.size).toBe(4);

  expect(ps.publish("a/b", { v: 1 })).toBe(3);
  expect(ps.publish("a/c", [{ v: 2 }, { v: 3 }])).toBe(2); // each row delivered
  expect(ps.publish("a/b/c", { v: 4 })).toBe(1);
  expect(ps.publish("$internal/x", { v: 5 })).toBe(0); // '#' does not match $-topics

  expect(got.exact).toEqual([["a/b", { v: 1 }]]);
  expect(got.plus).toEqual([["a/b", { v: 1 }], ["a/c", { v: 2 }], ["a/c", { v: 3 }]]);
  expect(got.hash.map(([t]) => t)).toEqual(["a/b", "a/c", "a/c", "a/b/c"]);
  expect(got.other).toEqual([]);

  subs[0]();
  subs[0](); // idempotent
  subs[2]();
  expect(ps.size).toBe(2);
  expect(ps.publish("a/b", { v: 6 })).toBe(1);
  expect(got.exact.length).toBe(1);
  subs[1]();
  subs[3]();
  expect(ps.size).toBe(0);
  expect(ps.publish("a/b", { v: 7 })).toBe(0);
});

Deno.test("memory pubsub: a throwing subscriber does not starve the others", () => {
  const ps = new MemoryPubSub();
  const got: Row[] = [];
  ps.subscribe("t", () => {
    throw new Error("boom");
  });
  ps.subscribe("t", (r) => got.push(r));
  expect(() => ps.publish("t", [{ a: 1 }, { a: 2 }])).toThrow("boom");
  expect(got).toEqual([{ a: 1 }, { a: 2 }]);
});

Deno.test("memory pubsub: subscribing during delivery does not affect the current publish", () => {
  const ps = new MemoryPubSub();
  let late = 0;
  ps.subscribe("t", () => void ps.subscribe("t", () => late++));
  ps.publish("t", { a: 1 });
  expect(late).toBe(0);
  ps.publish("t", { a: 2 });
  expect(late).toBe(1);
});
