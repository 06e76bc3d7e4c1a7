import { expect } from "expect";
import { logSink } from "./mod.ts";
import { recordingSinkContext } from "../test_context.ts";

Deno.test("log sink: logs the payload text at info", async () => {
  const sink = logSink.create({});
  const ctx = recordingSinkContext("log_0");
  await sink.connect(ctx);
  await sink.collect({ data: [{ a: 1 }], payload: new TextEncoder().encode(`[{"a":1}]`) });
  await sink.collect({ data: { b: 2 } }); // not encoded: JSON of the data
  await sink.close();
  expect(ctx.logs).toEqual([
    `info sink result for rule rule1: [{"a":1}]`,
    `info sink result for rule rule1: {"b":2}`,
  ]);
  expect(ctx.statuses).toEqual(["connected"]);
});
