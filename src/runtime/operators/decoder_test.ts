import { expect } from "expect";
import { DecoderOp } from "./decoder.ts";
import { getFormat } from "../../formats/mod.ts";
import type { Format } from "../../formats/mod.ts";
import type { OpContext } from "../operator.ts";
import type { NodeMetrics } from "../metrics.ts";
import type { StreamField } from "../../sql/ast.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

function context(errors: string[]): OpContext {
  return {
    ruleId: "r",
    now: () => 0,
    error: (node: NodeMetrics, message: string) => {
      node.error(message, 0);
      errors.push(message);
    },
  } as OpContext;
}

Deno.test("decoder counts each bad payload as an exception and keeps the good ones", () => {
  const errors: string[] = [];
  const op = new DecoderOp("op_2_decoder", "s", getFormat("json")!, undefined);
  const out = op.process([
    { payload: bytes('{"a":1}'), timestamp: 1 },
    { payload: bytes("{oops"), timestamp: 2 },
    { payload: bytes('[{"a":2},{"a":3}]'), timestamp: 3 },
    { payload: bytes("7"), timestamp: 4 },
  ], context(errors));
  expect(out.map((t) => t.message)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  expect(op.metrics.exceptions).toBe(2);
  expect(errors[0]).toMatch(/invalid JSON payload/);
});

Deno.test("decoder turns a thrown non-Error into a message", () => {
  const errors: string[] = [];
  const throwing: Format = {
    name: "t",
    decode: () => {
      throw "plain string";
    },
    encode: () => new Uint8Array(),
  };
  const op = new DecoderOp("op_2_decoder", "s", throwing, undefined);
  expect(op.process([{ payload: bytes("x"), timestamp: 1 }], context(errors))).toEqual([]);
  expect(errors).toEqual(["plain string"]);
  expect(op.metrics.exceptions).toBe(1);
});

Deno.test("decoder gives schemaful formats no stream schema (no second validation pass)", () => {
  const seen: unknown[] = [];
  const schema: StreamField[] = [{ name: "a", type: { type: "bigint" } }];
  const recording = (schemaful: boolean): Format => ({
    name: "rec",
    schemaful,
    decode: (_p, opts) => {
      seen.push(opts.schema);
      return { a: 1 };
    },
    encode: () => new Uint8Array(),
  });
  const msg = [{ payload: bytes("x"), timestamp: 1 }];
  new DecoderOp("d", "s", recording(true), schema).process(msg, context([]));
  new DecoderOp("d", "s", recording(false), schema).process(msg, context([]));
  expect(seen).toEqual([undefined, schema]);
});

/** The JSON format, counting its decodes. */
function countingJson(): { format: Format; decodes: () => number } {
  const json = getFormat("json")!;
  let n = 0;
  const format: Format = {
    ...json,
    decode: (p, o) => {
      n++;
      return json.decode(p, o);
    },
  };
  return { format, decodes: () => n };
}

Deno.test("decoders of a SHARED stream decode each message once and share the rows", () => {
  const { format: counting, decodes } = countingJson();
  const shared = { stream: "s", tuples: true };
  const ops = [1, 2, 3].map((i) => new DecoderOp(`op_${i}`, "s", counting, undefined, shared));
  const batch = [
    { payload: bytes('{"a":1}'), timestamp: 1 },
    { payload: bytes("{oops"), timestamp: 2 },
  ];
  const errors: string[] = [];
  const outs = ops.map((op) => op.process(batch, context(errors)));
  expect(decodes()).toBe(2);
  expect(outs.map((o) => o.map((t) => t.message))).toEqual([[{ a: 1 }], [{ a: 1 }], [{ a: 1 }]]);
  expect(outs[1][0].message).toBe(outs[0][0].message);
  expect(outs[1][0]).toBe(outs[0][0]);
  // A rule whose operators write to tuples (analytic functions) gets its own.
  const own = new DecoderOp("op_9", "s", counting, undefined, { stream: "s", tuples: false });
  const [t] = own.process(batch, context([]));
  expect(t).not.toBe(outs[0][0]);
  expect(t.message).toBe(outs[0][0].message);
  // Each rule still counts the bad payload in its own decoder node.
  expect(errors.length).toBe(3);
  expect(ops.map((op) => op.metrics.exceptions)).toEqual([1, 1, 1]);
});

Deno.test("two SHARED streams on one topic each decode a message once", () => {
  // The pooled MQTT connection hands both streams the same message objects.
  const { format: counting, decodes } = countingJson();
  const schema: StreamField[] = [{ name: "a", type: { type: "bigint" } }];
  const a = [1, 2].map((i) =>
    new DecoderOp(`op_a${i}`, "a", counting, undefined, { stream: "a", tuples: true })
  );
  const b = [1, 2].map((i) =>
    new DecoderOp(`op_b${i}`, "b", counting, schema, { stream: "b", tuples: true })
  );
  const batch = [{ payload: bytes('{"a":1,"x":2}'), timestamp: 1 }];
  // Interleaved as the scheduler may run the rules: a, b, a, b.
  const outs = [a[0], b[0], a[1], b[1]].map((op) => op.process(batch, context([])));
  expect(decodes()).toBe(2);
  expect(outs.map((o) => o[0].message)).toEqual([{ a: 1, x: 2 }, { a: 1 }, { a: 1, x: 2 }, {
    a: 1,
  }]);
  expect(outs[2][0]).toBe(outs[0][0]);
  expect(outs[3][0]).toBe(outs[1][0]);
  expect(a[1].sharedTuple(batch[0])).toBe(outs[0][0]);
  expect(b[1].sharedTuple(batch[0])).toBe(outs[1][0]);
  expect(decodes()).toBe(2);
});
