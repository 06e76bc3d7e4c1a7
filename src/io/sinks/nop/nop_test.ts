import { expect } from "expect";
import { nopSink } from "./mod.ts";
import { recordingSinkContext } from "../test_context.ts";

Deno.test("nop sink: discards, logs at debug with log: true", async () => {
  const quiet = nopSink.create({});
  const qctx = recordingSinkContext("nop_0");
  await quiet.connect(qctx);
  await quiet.collect({ data: { a: 1 }, payload: new TextEncoder().encode("x") });
  await quiet.close();
  expect(qctx.logs).toEqual([]);

  const loud = nopSink.create({ log: "true" });
  const lctx = recordingSinkContext("nop_1");
  await loud.connect(lctx);
  await loud.collect({ data: { a: 1 }, payload: new TextEncoder().encode(`{"a":1}`) });
  await loud.close();
  expect(lctx.logs).toEqual([`debug nop sink received for rule rule1: {"a":1}`]);
  expect(() => nopSink.validate!({ log: 3 })).toThrow(/invalid log/);
});
