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

Deno.test("filter: tuples the fan-out routed to the rule by its dispatch key pass unjudged", () => {
  let whole = 0;
  const f = new FilterOp("op_3_filter", (t) => {
    whole++;
    return (t.message.id as number) % 10 === 1 && (t.message.temp as number) > 30;
  });
  f.routedKey = "s|id%10";
  const out = f.process([
    tuple(1, 40, "s|id%10"), // judged by the fan-out with the whole WHERE: passes
    tuple(1, 40, "s|id%100"), // routed by another group: the whole WHERE decides
    tuple(1, 20, "s|id%100"),
    tuple(2, 40), // not routed (the group was unsure)
    tuple(1, 35),
  ], ctx);
  expect(out.map((t) => [t.message.id, t.message.temp])).toEqual([[1, 40], [1, 40], [1, 35]]);
  expect(whole).toBe(4);
});
