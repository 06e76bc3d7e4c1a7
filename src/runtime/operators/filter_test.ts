import { expect } from "expect";
import { FilterOp } from "./filter.ts";
import type { Tuple } from "../tuple.ts";
import type { OpContext } from "../operator.ts";

const ctx = { ruleId: "r", now: () => 0, error: () => {} } as unknown as OpContext;
const tuple = (id: number, temp: number, routedBy?: string): Tuple => ({
  emitter: "s",
  message: { id, temp },
  meta: undefined,
  timestamp: 0,
  routedBy,
});

Deno.test("filter: tuples routed by the rule's dispatch key are judged by the rest alone", () => {
  let whole = 0;
  const f = new FilterOp("op_3_filter", (t) => {
    whole++;
    return (t.message.id as number) % 10 === 1 && (t.message.temp as number) > 30;
  });
  f.routed = { key: "s|id%10", condition: (t) => (t.message.temp as number) > 30 };
  const out = f.process([
    tuple(1, 40, "s|id%10"),
    tuple(1, 20, "s|id%10"),
    tuple(1, 40, "s|id%100"), // routed by another group: the whole WHERE decides
    tuple(2, 40), // not routed (the group was unsure)
    tuple(1, 35),
  ], ctx);
  expect(out.map((t) => [t.message.id, t.message.temp])).toEqual([[1, 40], [1, 40], [1, 35]]);
  expect(whole).toBe(3);
  // A WHERE that is only the conjunct passes every routed tuple.
  f.routed = { key: "s|id%10", condition: undefined };
  expect(f.process([tuple(1, 0, "s|id%10"), tuple(3, 40)], ctx).length).toBe(1);
});
