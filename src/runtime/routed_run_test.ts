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

/** What a test sink delivers to: its own, or one shared by sinks with equal `conn` props when
 * the spec says they send alike (`sharedSend`), as MQTT sinks share a pooled connection. */
interface Conn {
  got: unknown[];
  /** Shut, the fast path takes nothing: results leave through `collect`, one promise each, as
   * through a sink slow to take them. */
  fast: boolean;
}
const conns = new Map<string, Conn>();

class GateSink {
  static last: GateSink | undefined;
  readonly conn: Conn;
  /** Results this instance's fast path took. */
  sent = 0;
  constructor(props: Record<string, unknown>) {
    GateSink.last = this;
    const name = sinkSpecs.gate_test.sharedSend ? String(props.conn) : crypto.randomUUID();
    let conn = conns.get(name);
    if (!conn) conns.set(name, conn = { got: [], fast: true });
    this.conn = conn;
  }
  get got(): unknown[] {
    return this.conn.got;
  }
  set fast(on: boolean) {
    this.conn.fast = on;
  }
  connect(ctx: { setConnectionStatus(s: string): void }) {
    ctx.setConnectionStatus("connected");
    return Promise.resolve();
  }
  trySend(item: SinkItem): boolean {
    if (!this.conn.fast) return false;
    this.conn.got.push(item.data);
    this.sent++;
    return true;
  }
  async collect(item: SinkItem): Promise<void> {
    await Promise.resolve();
    this.conn.got.push(item.data);
  }
  close = () => Promise.resolve();
}
sinkSpecs.gate_test = {
  type: "gate_test",
  payload: "rows",
  create: (props) => new GateSink(props),
};

interface RuleSpec {
  sql: string;
  /** The sink's `conn` prop: sinks with equal ones send alike when `shared`. */
  conn: string;
}

/** Rules `specs` on one SHARED stream, started; `shared`: their sinks' spec says equal props
 * send alike, so that rules alike form a routed family. */
async function start(specs: RuleSpec[], sinkBuffer: number, shared: boolean) {
  sinkSpecs.gate_test.sharedSend = shared;
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
  for (const [k, { sql, conn }] of specs.entries()) {
    const def = parseRule({
      id: `r${k}`,
      sql,
      actions: [{ gate_test: { sendSingle: true, bufferLength: sinkBuffer, conn } }],
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
    conns.clear();
  };
  return { rules, sinks, emit, status, close };
}

/** Two rules, r0 taking the even ids and r1 the odd ones, each with a sink of its own; when
 * `shared`, each is a routed family of one. */
function setup(sinkBuffer: number, shared: boolean, select = "id, v") {
  const specs = [0, 1].map((k) => ({
    sql: `SELECT ${select} FROM s WHERE id % 2 = ${k} AND v > 0`,
    conn: `r${k}`,
  }));
  return start(specs, sinkBuffer, shared);
}

for (const shared of [false, true]) {
  Deno.test(`routed run${shared ? " (a family of one)" : ""}: results leave during the emit, and the status counts every node`, async () => {
    const { rules, sinks, emit, status, close } = await setup(16, shared);
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
}

for (const shared of [false, true]) {
  Deno.test(`routed run${shared ? " (a family of one)" : ""}: while a sink is full messages wait, and later ones wait behind them`, async () => {
    const { rules, sinks, emit, status, close } = await setup(2, shared);
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
}

for (const shared of [false, true]) {
  Deno.test(`routed run${shared ? " (a family of one)" : ""}: messages counted together read as counted one by one, errors and queueing included`, async () => {
    const { rules, sinks, emit, status, close } = await setup(16, shared, "id, 10 / (v - 1) AS q");
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
}

const idOf = (r: unknown) => (r as { id: number }).id;

Deno.test("routed family: rules alike are run by one member's objects, and each rule's status reads as if it ran its own way", async () => {
  const specs = [0, 1, 2, 3].map((k) => ({
    sql: `SELECT id, v FROM s WHERE id % 4 = ${k} AND v > 0`,
    conn: "one",
  }));
  const passed = [...Array(40).keys()].filter((i) => i % 3 !== 0);
  const statuses: Record<string, number>[][] = [];
  for (const shared of [false, true]) {
    const { rules, sinks, emit, status, close } = await start(specs, 16, shared);
    const t0 = Date.now();
    try {
      for (let i = 0; i < 40; i++) emit(i, i % 3 === 0 ? 0 : 1, t0 + i);
      if (shared) {
        // One connection, in the order of the messages. Each rule's first message went its
        // own way (its nodes' latency is sampled): ids 1 and 2 were sent by their rules' sinks,
        // ids 0 and 3 did not pass. The rest went through the first rule's sink.
        expect(sinks[0].got.map(idOf)).toEqual(passed);
        expect(sinks.map((s) => s.sent)).toEqual([passed.length - 2, 1, 1, 0]);
      } else {
        for (const [k, sink] of sinks.entries()) {
          expect(sink.got.map(idOf)).toEqual(passed.filter((i) => i % 4 === k));
        }
      }
      // Last invocations as read times from t0: the message read last at each node.
      statuses.push(rules.map((r) =>
        Object.fromEntries(
          Object.entries(status(r, /(records_(in|out)|exceptions)_total$|invocation$/))
            .map(([k, v]) => [k, k.endsWith("invocation") ? v - t0 : v]),
        )
      ));
    } finally {
      await close();
    }
  }
  expect(statuses[0][0].op_4_project_0_records_out_total).toBe(6);
  expect(statuses[0][0].sink_gate_test_0_0_last_invocation).toBe(32);
  expect(statuses[1]).toEqual(statuses[0]);
});

Deno.test("routed family: another projection, WHERE or sink makes another family", async () => {
  const specs = [
    { sql: "SELECT id FROM s WHERE id % 4 = 0 AND v > 0", conn: "one" },
    { sql: "SELECT id, v FROM s WHERE id % 4 = 1 AND v > 0", conn: "one" },
    { sql: "SELECT id, v FROM s WHERE id % 4 = 2 AND v > 1", conn: "one" },
    { sql: "SELECT id, v FROM s WHERE id % 4 = 3 AND v > 0", conn: "two" },
    { sql: "SELECT id, v FROM s WHERE id % 4 = 1 AND v > 0", conn: "one" },
  ];
  const { sinks, emit, close } = await start(specs, 16, true);
  try {
    const one: unknown[] = [];
    const two: unknown[] = [];
    for (let i = 0; i < 48; i++) {
      const v = i % 3;
      emit(i, v);
      if (i % 4 === 0 && v > 0) one.push({ id: i });
      if (i % 4 === 1 && v > 0) one.push({ id: i, v }, { id: i, v });
      if (i % 4 === 2 && v > 1) one.push({ id: i, v });
      if (i % 4 === 3 && v > 0) two.push({ id: i, v });
    }
    expect(sinks[0].got).toEqual(one);
    expect(sinks[3].got).toEqual(two);
  } finally {
    await close();
  }
});

Deno.test("routed family: its first member stopping hands it over; a connection that stops taking results holds each rule's in order", async () => {
  const specs = [0, 1, 2, 3].map((k) => ({
    sql: `SELECT id, v FROM s WHERE id % 4 = ${k} AND v > 0`,
    conn: "one",
  }));
  const { rules, sinks, emit, status, close } = await start(specs, 4, true);
  const byRule = () => [0, 1, 2, 3].map((k) => sinks[0].got.map(idOf).filter((id) => id % 4 === k));
  try {
    // Within 100 ms of each rule's first message: only that one goes its own way.
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) emit(i, 1, t0 + i);
    expect(sinks.map((s) => s.sent)).toEqual([17, 1, 1, 1]);
    await rules[0].stop();
    const r0 = status(rules[0]);
    for (let i = 20; i < 40; i++) emit(i, 1, t0 + i);
    // r1's sink took over: r0's is closed.
    expect(sinks.map((s) => s.sent)).toEqual([17, 16, 1, 1]);
    expect(byRule()[0]).toEqual([0, 4, 8, 12, 16]);
    sinks[0].fast = false;
    // Each rule's results queue in its sink (bound 4), then wait in its buffer.
    for (let i = 40; i < 80; i++) emit(i, 1, t0 + i);
    sinks[0].fast = true;
    for (let i = 80; i < 100; i++) emit(i, 1, t0 + i);
    const deadline = Date.now() + 5000;
    while (sinks[0].got.length < 5 + 3 * 25 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const ids = [...Array(100).keys()];
    expect(byRule()).toEqual([
      [0, 4, 8, 12, 16],
      ...[1, 2, 3].map((k) => ids.filter((i) => i % 4 === k)),
    ]);
    expect(status(rules[0])).toEqual(r0);
    expect(status(rules[3]).sink_gate_test_0_0_records_out_total).toBe(25);
  } finally {
    await close();
  }
});
