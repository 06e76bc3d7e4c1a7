/**
 * The S2 rule's set-at-a-time half without MQTT: 100,000 decoded rows (100 ids) pushed into a
 * 1 s tumbling window, which then closes, groups and averages them. Per iteration: one window.
 *
 *   deno bench -A src/runtime/window_stage_bench.ts
 *
 * @module
 */
import { planRule } from "../planner/plan_rule.ts";
import { testCatalog } from "../planner/test_catalog.ts";
import type { OpContext } from "./operator.ts";
import type { Row, Tuple } from "./tuple.ts";
import { WindowStage } from "./window_stage.ts";

const SQL = "SELECT id, avg(temperature) AS avg_t, count(*) AS c, window_end() AS we " +
  "FROM demo GROUP BY id, TUMBLINGWINDOW(ss, 1)";
const ROWS = 100_000;
const catalog = await testCatalog();

/** What the source lane hands the window: rows pruned to the columns the rule reads. */
function rows(): Tuple[] {
  const out: Tuple[] = [];
  const meta = { topic: "bench/in", qos: 0, messageId: 0 };
  for (let i = 0; i < ROWS; i++) {
    const message: Row = { id: i % 100, temperature: 20 + (i * 7919 % 2000) / 100 };
    out.push({ emitter: "demo", message, meta, timestamp: 1_000 + (i * 900) / ROWS });
  }
  return out;
}

function stage(incremental: boolean): { push(batch: Tuple[]): void; close(): number } {
  const plan = planRule(SQL, catalog, {
    planOptimizeStrategy: { enableIncrementalWindow: incremental },
  });
  let timer: (() => void) | undefined;
  let now = 1_000;
  let emitted = 0;
  const ctx: OpContext = { ruleId: "bench", now: () => now, error: () => {} };
  const s = new WindowStage(plan.window!, {
    firstOp: 2,
    fields: plan.fields,
    sendNilField: false,
    ctx,
    emitters: ["demo"],
    startTime: 0,
    setTimer: (_at, fn) => {
      timer = fn;
      return () => timer = undefined;
    },
    now: () => now,
    emit: (out) => emitted += out.length,
  });
  s.start();
  return {
    push: (batch) => {
      for (let i = 0; i < batch.length; i += 256) s.push(batch.slice(i, i + 256), now);
    },
    close: () => {
      now += 1_000;
      emitted = 0;
      timer?.();
      return emitted;
    },
  };
}

const input = rows();
for (const incremental of [false, true]) {
  const s = stage(incremental);
  Deno.bench(`S2 window, ${ROWS} rows${incremental ? " (incremental)" : ""}`, () => {
    s.push(input);
    if (s.close() !== 100) throw new Error("expected 100 groups");
  });
}
