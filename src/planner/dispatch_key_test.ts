import { expect } from "expect";
import { planRule } from "./plan_rule.ts";
import { testCatalog } from "./test_catalog.ts";

const catalog = await testCatalog();
const dispatchOf = (sql: string) => planRule(sql, catalog).sources[0].dispatch;

Deno.test("dispatch key: a pure `expr = constant` leading the WHERE", () => {
  const a = dispatchOf("SELECT id1 FROM src1 WHERE id1 % 10 = 3 AND temp > 30")!;
  expect(a.value).toBe(3);
  const t = { emitter: "src1", message: { id1: 23 }, meta: undefined, timestamp: 0 };
  expect(a.evaluate(t, { ruleId: "", now: () => 0 })).toBe(3);
  // Either side, any spacing, any other constant: the same expression, the same key.
  const b = dispatchOf("SELECT temp FROM src1 WHERE 7=id1%10")!;
  expect(b.value).toBe(7);
  expect(b.key).toBe(a.key);
  expect(dispatchOf("SELECT * FROM src1 WHERE name = 'pump' AND temp > 1")!.value).toBe("pump");
  expect(dispatchOf("SELECT * FROM src1 WHERE myarray[0] = 'x'")!.value).toBe("x");
  // Another alias is another source: another key.
  expect(dispatchOf("SELECT * FROM src1 AS s WHERE id1 % 10 = 3")!.key).not.toBe(a.key);
});

Deno.test("dispatch key: none when the WHERE cannot be routed on", () => {
  for (
    const sql of [
      "SELECT * FROM src1",
      "SELECT * FROM src1 WHERE temp > 30 AND id1 = 3", // not the first conjunct
      "SELECT * FROM src1 WHERE id1 = 3 OR temp > 1",
      "SELECT * FROM src1 WHERE abs(id1) = 3", // function calls are not pure enough
      "SELECT * FROM src1 WHERE meta(topic) = 'a'",
      "SELECT * FROM src1 WHERE id1 != 3",
      "SELECT * FROM src1 WHERE id1 = temp", // no constant
      "SELECT * FROM src1 WHERE id1 IN (1, 2)",
      "SELECT id1, delay(10, id1) FROM src1 WHERE id1 = 3", // holds its own buffer
      "SELECT * FROM src1 INNER JOIN src2 ON src1.id1 = src2.id2 WHERE id1 = 3 " +
      "GROUP BY TUMBLINGWINDOW(ss, 1)",
    ]
  ) {
    expect({ sql, key: dispatchOf(sql) }).toEqual({ sql, key: undefined });
  }
});

Deno.test("dispatch key: routed rows are judged by the rest of the WHERE alone", () => {
  const ctx = { ruleId: "", now: () => 0 };
  const tuple = (message: Record<string, unknown>) => ({
    emitter: "src1",
    message,
    meta: undefined,
    timestamp: 0,
  });
  const a = dispatchOf("SELECT id1 FROM src1 WHERE id1 % 10 = 3 AND temp > 30 AND name = 'x'")!;
  const rest = a.routed!.condition!;
  // The leading conjunct is taken as true (the fan-out evaluated it): id1 is not read.
  expect(rest(tuple({ id1: 4, temp: 40, name: "x" }), ctx)).toBe(true);
  expect(rest(tuple({ id1: 3, temp: 20, name: "x" }), ctx)).toBe(false);
  expect(rest(tuple({ id1: 3, temp: 40, name: "y" }), ctx)).toBe(false);
  // The conjunct alone: nothing else to judge.
  expect(dispatchOf("SELECT * FROM src1 WHERE id1 % 10 = 3")!.routed).toEqual({
    condition: undefined,
  });
});

Deno.test("dispatch key: the rest fails as the whole WHERE does", () => {
  const ctx = { ruleId: "", now: () => 0 };
  const plan = planRule("SELECT * FROM src1 WHERE id1 = 3 AND temp", catalog).sources[0];
  const t = { emitter: "src1", message: { id1: 3, temp: 5 }, meta: undefined, timestamp: 0 };
  const whole = (() => plan.filter!(t, ctx)) as () => unknown;
  const rest = (() => plan.dispatch!.routed!.condition!(t, ctx)) as () => unknown;
  expect(whole).toThrow();
  let message = "";
  try {
    whole();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(rest).toThrow(message);
});

Deno.test("dispatch key: a WHERE keeping state is not compiled twice", () => {
  // A second compilation would count hits, or step `lag`, in a state of its own.
  for (
    const sql of [
      "SELECT * FROM src1 WHERE id1 = 3 AND last_hit_count() > 1",
      "SELECT * FROM src1 WHERE id1 = 3 AND lag(temp) > 1",
    ]
  ) {
    const key = dispatchOf(sql);
    expect({ sql, key: key?.value, routed: key?.routed }).toEqual({
      sql,
      key: 3,
      routed: undefined,
    });
  }
});
