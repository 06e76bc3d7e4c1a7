import { expect } from "expect";
import { memorySource } from "./mod.ts";
import { memorySink } from "../../sinks/memory/mod.ts";
import { memoryPubSub } from "../../memory/pubsub.ts";
import { recordingSourceContext } from "../test_context.ts";
import { recordingSinkContext } from "../../sinks/test_context.ts";

Deno.test("memory source: validate", () => {
  expect(() => memorySource.validate!({ datasource: "a/+", format: "json" })).not.toThrow();
  expect(() => memorySource.validate!({ datasource: "a/#/b", format: "json" })).toThrow(
    /invalid memory source datasource/,
  );
  expect(memorySource.payload).toBe("rows");
});

Deno.test("memory sink → memory source: rows flow through wildcard topics", async () => {
  const src = memorySource.create({ datasource: "pipe/+/out", format: "json" });
  const ctx = recordingSourceContext();
  await src.open(ctx);
  const sink = memorySink.create({ topic: "pipe/r1/out" });
  const other = memorySink.create({ topic: "pipe/r1/in" });
  try {
    await sink.connect(recordingSinkContext("memory_0"));
    await other.connect(recordingSinkContext("memory_1"));
    expect(ctx.statuses).toEqual(["connected"]);
    const row = { a: 1 };
    await sink.collect({ data: row });
    await sink.collect({ data: [{ a: 2 }, { a: 3 }] }); // each row of an emission
    await other.collect({ data: { a: 9 } }); // not matching
    expect(ctx.messages.map((m) => m.row)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(ctx.messages[0].meta).toEqual({ topic: "pipe/r1/out" });
    expect(ctx.messages[0].row).not.toBe(row); // copied: rows are not shared between rules
  } finally {
    await src.close();
    await sink.close();
    await other.close();
  }
  expect(memoryPubSub.size).toBe(0);
});

Deno.test("memory sink: validate", () => {
  expect(() => memorySink.validate!({})).toThrow(/memory sink topic is required/);
  expect(() => memorySink.validate!({ topic: "a/#" })).toThrow(/wildcards/);
  expect(memorySink.payload).toBe("rows");
});
