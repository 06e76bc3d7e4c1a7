/**
 * Rules on a SHARED stream that only filter and project, routed and judged by the fan-out,
 * run each message they pass at once (`RuleRuntime.runRouted`). What must hold: results leave
 * during the source's emit, in order; a sink that cannot take more makes messages wait in the
 * rule's buffer, and none is lost or reordered when it recovers; the status counts the same as
 * a buffered run.
 */
import { expect } from "expect";
import { Catalog } from "../catalog/catalog.ts";
import { KvStore } from "../store/kv_store.ts";
import { ConfKeys } from "../config/conf_keys.ts";
import { Scheduler } from "./scheduler.ts";
import { SourceHub } from "./source_hub.ts";
import { RuleRuntime } from "./rule_runtime.ts";
import { planRule } from "../planner/plan_rule.ts";
import { parseRule } from "../rules/rule_def.ts";
import { logger } from "../log.ts";
import { type SinkItem, sinkSpecs, type SourceContext, sourceSpecs } from "../io/mod.ts";

let source: SourceContext | undefined;
sourceSpecs.routed_test = {
  type: "routed_test",
  payload: "rows",
  create: () => ({
    open(ctx) {
      source = ctx;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  }),
};

/** A sink whose fast path can be shut (`fast`): results then leave through `collect`, one
 * promise each, as a sink that is slow to take them. */
class GateSink {
  static last: GateSink | undefined;
  readonly got: unknown[] = [];
  fast = true;
  constructor() {
    GateSink.last = this;
  }
  connect(ctx: { setConnectionStatus(s: string): void }) {
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }
  trySend(item: SinkItem): boolean {
    if (!this.fast) return false;
    this.got.push(item.data);
    return true;
  }
  async collect(item: SinkItem): Promise<void> {
    await Promise.resolve();
    this.got.push(item.data);
  }
  close = () => Promise.resolve();
}
sinkSpecs.gate_test = {
  type: "gate_test",
  payload: "rows",
  create: () => new GateSink(),
};

async function setup(sinkBuffer: number, select = "id, v") {
  const dir = await Deno.makeTempDir({ prefix: "weir-routed-" });
  const store = await KvStore.open(`${dir}/weir.db`);
  const catalog = new Catalog(store);
  catalog.execute(
    'CREATE STREAM s () WITH (DATASOURCE="in", TYPE="routed_test", SHARED="true")',
  );
  const scheduler = new Scheduler();
  const deps = {
    scheduler,
    hub: new SourceHub(logger("source")),
    confKeys: new ConfKeys(`${dir}/etc`, store),
    logger: logger("rule"),
  };
  const rules: RuleRuntime[] = [];
  const sinks: GateSink[] = [];
  for (let k = 0; k < 2; k++) {
    const sql = `SELECT ${select} FROM s WHERE id % 2 = ${k} AND v > 0`;
    const def = parseRule({
      id: `r${k}`,
      sql,
      actions: [{ gate_test: { sendSingle: true, bufferLength: sinkBuffer } }],
    });
    const rt = new RuleRuntime(def, planRule(sql, catalog), deps);
    rt.start();
    sinks.push(GateSink.last!);
    rules.push(rt);
  }
  // The sinks connect asynchronously.
  await new Promise((r) => setTimeout(r, 10));
  const emit = (id: number, v: number, timestamp = Date.now()) =>
    source!.emit({ row: { id, v }, meta: {}, timestamp });
  const status = (rt: RuleRuntime, keep = /(records_(in|out)|exceptions)_total$/) => {
    const out: Record<string, number> = {};
    rt.metrics(out);
    return Object.fromEntries(
      Object.entries(out).filter(([k]) => keep.test(k)),
    );
  };
  const close = async () => {
    await Promise.all(rules.map((r) => r.stop()));
    store.close();
    await Deno.remove(dir, { recursive: true });
  };
  return { rules, sinks, emit, status, close };
}

Deno.test("routed run: results leave during the emit, and the status counts every node", async () => {
  const { rules, sinks, emit, status, close } = await setup(16);
  try {
    const t0 = Date.now();
    // r0's last message (id 4) is read 50 ms after the others.
    for (let i = 0; i < 6; i++) emit(i, i % 3 === 0 ? 0 : 1, i === 4 ? t0 + 50 : t0);
    // No scheduler turn has run: what passed is already delivered.
    expect(sinks[0].got).toEqual([{ id: 2, v: 1 }, { id: 4, v: 1 }]);
    expect(sinks[1].got).toEqual([{ id: 1, v: 1 }, { id: 5, v: 1 }]);
    expect(status(rules[0])).toEqual({
      source_s_0_records_in_total: 6,
      source_s_0_records_out_total: 6,
      source_s_0_exceptions_total: 0,
      op_2_decoder_0_records_in_total: 6,
      op_2_decoder_0_records_out_total: 6,
      op_2_decoder_0_exceptions_total: 0,
      op_3_filter_0_records_in_total: 6,
      op_3_filter_0_records_out_total: 2,
      op_3_filter_0_exceptions_total: 0,
      op_4_project_0_records_in_total: 2,
      op_4_project_0_records_out_total: 2,
      op_4_project_0_exceptions_total: 0,
      op_gate_test_0_0_transform_0_records_in_total: 2,
      op_gate_test_0_0_transform_0_records_out_total: 2,
      op_gate_test_0_0_transform_0_exceptions_total: 0,
      sink_gate_test_0_0_records_in_total: 2,
      sink_gate_test_0_0_records_out_total: 2,
      sink_gate_test_0_0_exceptions_total: 0,
    });
    // Each node's last invocation is that message's, however it was counted.
    const last = Object.values(status(rules[0], /last_invocation$/));
    expect(last).toEqual(new Array(6).fill(t0 + 50));
  } finally {
    await close();
  }
});

Deno.test("routed run: while a sink is full messages wait, and later ones wait behind them", async () => {
  const { rules, sinks, emit, status, close } = await setup(2);
  const ids = () => sinks[0].got.map((r) => (r as { id: number }).id);
  try {
    sinks[0].fast = false;
    // r0: 0 and 2 fill its sink's queue (bound 2), 4, 6 and 8 wait in its buffer.
    for (let i = 0; i < 10; i++) emit(i, 1);
    expect(sinks[1].got.length).toBe(5);
    // The sink's queue empties in microtasks; the rule's buffer is read in the next turn.
    for (let i = 0; i < 100; i++) await Promise.resolve();
    expect(ids()).toEqual([0, 2]);
    // The queue has room, but older messages wait in the buffer: this one goes behind them.
    emit(10, 1);
    const deadline = Date.now() + 5000;
    while (sinks[0].got.length < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(ids()).toEqual([0, 2, 4, 6, 8, 10]);
    sinks[0].fast = true;
    emit(12, 1);
    expect(ids()).toEqual([0, 2, 4, 6, 8, 10, 12]);
    const s = status(rules[0]);
    expect([
      s.source_s_0_records_in_total,
      s.op_4_project_0_records_out_total,
      s.sink_gate_test_0_0_records_out_total,
    ]).toEqual([12, 7, 7]);
  } finally {
    await close();
  }
});

Deno.test("routed run: messages counted together read as counted one by one, errors and queueing included", async () => {
  const { rules, sinks, emit, status, close } = await setup(16, "id, 10 / (v - 1) AS q");
  try {
    const t0 = Date.now();
    // r0 takes the even ids; v = 1 fails its projection (divided by zero): ids 0, 4, 8, 12, 16.
    for (let i = 0; i < 20; i++) emit(i, i % 4 === 0 ? 1 : 2);
    expect(sinks[0].got.length).toBe(5);
    // The connector stops taking results at once: they are queued, and still counted.
    sinks[0].fast = false;
    for (let i = 20; i < 28; i += 2) emit(i, 2);
    const deadline = Date.now() + 5000;
    while (sinks[0].got.length < 9 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(sinks[0].got.map((r) => (r as { id: number }).id)).toEqual(
      [2, 6, 10, 14, 18, 20, 22, 24, 26],
    );
    expect(status(rules[0])).toEqual({
      source_s_0_records_in_total: 24,
      source_s_0_records_out_total: 24,
      source_s_0_exceptions_total: 0,
      op_2_decoder_0_records_in_total: 24,
      op_2_decoder_0_records_out_total: 24,
      op_2_decoder_0_exceptions_total: 0,
      op_3_filter_0_records_in_total: 24,
      op_3_filter_0_records_out_total: 14,
      op_3_filter_0_exceptions_total: 0,
      op_4_project_0_records_in_total: 14,
      op_4_project_0_records_out_total: 9,
      op_4_project_0_exceptions_total: 5,
      op_gate_test_0_0_transform_0_records_in_total: 9,
      op_gate_test_0_0_transform_0_records_out_total: 9,
      op_gate_test_0_0_transform_0_exceptions_total: 0,
      sink_gate_test_0_0_records_in_total: 9,
      sink_gate_test_0_0_records_out_total: 9,
      sink_gate_test_0_0_exceptions_total: 0,
    });
    expect(status(rules[1]).op_4_project_0_records_out_total).toBe(10);
    // Every node of r0 ran since t0, whichever way its messages were counted.
    for (const [k, v] of Object.entries(status(rules[0], /last_invocation$/))) {
      expect([k, v >= t0]).toEqual([k, true]);
    }
  } finally {
    await close();
  }
});
