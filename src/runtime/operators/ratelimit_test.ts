import { expect } from "expect";
import { RateLimitOp } from "./ratelimit.ts";
import { PayloadDecoderOp } from "./payload_decoder.ts";
import { jsonFormat } from "../../formats/json.ts";
import type { RawMessage } from "../../io/types.ts";
import type { NodeMetrics } from "../metrics.ts";
import type { OpContext } from "../operator.ts";

const enc = new TextEncoder();
const msg = (v: unknown, ts = 1): RawMessage => ({
  payload: enc.encode(typeof v === "string" ? v : JSON.stringify(v)),
  meta: { topic: "t" },
  timestamp: ts,
});

const errors: string[] = [];
const ctx: OpContext = {
  ruleId: "r",
  now: () => 0,
  error: (_n: NodeMetrics, m: string) => errors.push(m),
};

Deno.test("ratelimit keeps the latest message of each interval", () => {
  const rl = new RateLimitOp("op_2_ratelimit", { intervalMs: 1000 });
  expect(rl.flush()).toBeUndefined();
  for (let i = 1; i <= 25; i++) rl.ingest(msg({ i }, i));
  const out = rl.flush()!;
  expect(new TextDecoder().decode(out.payload)).toBe('{"i":25}');
  expect(rl.flush()).toBeUndefined(); // nothing new in the next interval
  expect([rl.metrics.recordsIn, rl.metrics.recordsOut, rl.metrics.processed]).toEqual([25, 1, 25]);
});

Deno.test("ratelimit with mergeField merges the latest message per field value", () => {
  const rl = new RateLimitOp("op_2_ratelimit", { intervalMs: 1000, mergeField: "id" });
  rl.ingest(msg({ id: 1, temperature: 20 }));
  rl.ingest(msg({ id: 2, humidity: 80 }));
  rl.ingest(msg({ id: 1, temperature: 30 }));
  rl.ingest(msg("not json"));
  expect(rl.metrics.exceptions).toBe(1);
  const out = rl.flush()!;
  const dec = new PayloadDecoderOp("op_3_payload_decoder", "s", jsonFormat, undefined);
  const tuples = dec.process([out], ctx);
  // The seed's example: the last update (id 1) wins shared fields.
  expect(tuples.map((t) => t.message)).toEqual([{ id: 1, temperature: 30, humidity: 80 }]);
  expect(tuples[0].meta).toEqual({ topic: "t" });
  expect([rl.metrics.recordsIn, rl.metrics.recordsOut]).toEqual([4, 1]);
  expect(rl.flush()).toBeUndefined();
});

Deno.test("payload decoder counts a bad frame and keeps the others", () => {
  errors.length = 0;
  const dec = new PayloadDecoderOp("op_3_payload_decoder", "s", jsonFormat, undefined);
  const frames = [enc.encode('{"a":1}'), enc.encode("{bad"), enc.encode('[{"b":2},{"c":3}]')];
  const out = dec.process([{ payload: frames[2], timestamp: 1, frames } as RawMessage], ctx);
  expect(out.map((t) => t.message)).toEqual([{ a: 1, b: 2, c: 3 }]);
  expect(errors.length).toBe(1);
});
