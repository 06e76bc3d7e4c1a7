/**
 * Weir's own CPU per message, without a broker competing for the cores: a minimal broker in this
 * process (enough MQTT for one subscriber and one publisher: qos 0, no retained messages, no
 * routing; deliberately, it is a measuring device, not a broker) writes pre-encoded PUBLISH packets
 * as fast as Weir reads them and counts the results Weir publishes back. On a 2-core machine
 * mosquitto takes most of a core during S1's flood and the load generator the rest, so S1's
 * figures move by ±15 % from run to run; this one measures the same path (socket reads, MQTT
 * framing, decode, rule, encode, socket writes) with little else running, for A/B comparisons
 * of a change. It is not the issue's benchmark (no baseline, no broker): `deno task bench` is.
 *
 *   deno task bench:cost                          # S1, 200,000 messages, 5 runs
 *   deno task bench:cost --runs 9 --program bundle
 *   deno task bench:cost --sql "SELECT id, avg(temperature) AS avg_t ... TUMBLINGWINDOW(ss, 1)"
 *   deno task bench:cost --v8-flags=--single-threaded-gc   # V8 flags for Weir (source only)
 *   deno task bench:cost --rules 100              # S3's shape: 100 rules on a SHARED stream
 *
 * Prints Weir's CPU µs per message, page faults per 1,000 messages (memory touched afresh,
 * each fault a trip into the kernel) and peak RSS (VmHWM: a backlog held in Weir shows there)
 * for each run, then the minimum and the median CPU.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type Cleanup,
  programPath,
  runBenchmark,
  startWeir,
  type WeirChild,
  weirProgram,
} from "./lib/procs.ts";
import { cpuSeconds, minorFaults, statusKb } from "./lib/proc_stats.ts";
import { makeWorkload, payload, warmupPayload, type Workload } from "./lib/load.ts";
import { S1_IN, S1_OUT, S1_SQL } from "./lib/s1_phase.ts";
import { s3RuleSql, streamSql } from "./lib/s3_shape.ts";
import { FrameReader } from "../src/io/connections/mqtt_wire.ts";
import { concat } from "../src/util/bytes.ts";
import { decodeFrame, encodePacket } from "../src/io/mqtt_codec/mod.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "200000" },
    runs: { type: "string", default: "5" },
    sql: { type: "string", default: S1_SQL },
    rules: { type: "string", default: "0" },
    program: { type: "string", default: "source" },
    "v8-flags": { type: "string", default: "" },
    timeout: { type: "string", default: "600" },
  },
});
const N = Number(values.messages);
const RUNS = Number(values.runs);
/** With --rules R ≥ 1: S3's shape (R rules on a SHARED stream), --sql is ignored. */
const RULES = Number(values.rules);
if (!(Number.isInteger(RULES) && RULES >= 0 && RULES <= 100)) {
  throw new Error("--rules: an integer from 0 (one --sql rule) to 100");
}
/** Results stop for this long: a rule without a known result count is done. */
const QUIET_MS = 1500;

const enc = new TextEncoder();

/** A qos 0 PUBLISH packet. */
function publishPacket(topic: string, body: Uint8Array, v5: boolean): Uint8Array {
  const p = { cmd: "publish", topic, payload: body, qos: 0, retain: false, dup: false } as const;
  return encodePacket(p, v5 ? 5 : 4);
}

/** The workload as socket-sized blocks of PUBLISH packets. */
function encodeWorkload(w: Workload, v5: boolean): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  let size = 0;
  const ts = Date.now();
  for (let i = 0; i < w.n; i++) {
    const p = publishPacket(S1_IN, enc.encode(payload(w, i, ts + i)), v5);
    parts.push(p);
    size += p.length;
    if (size >= 64 * 1024 || i === w.n - 1) {
      blocks.push(concat(parts, size));
      parts = [];
      size = 0;
    }
  }
  return blocks;
}

async function writeAll(conn: Deno.Conn, b: Uint8Array): Promise<void> {
  let off = 0;
  while (off < b.length) off += await conn.write(b.subarray(off));
}

/** Just enough of a broker: CONNACK, SUBACK, UNSUBACK, PINGRESP; counts the PUBLISHes it gets
 * (Weir's results) and remembers who subscribed to the input topic. */
class FeedBroker {
  readonly port: number;
  received = 0;
  lastResultAt = 0;
  subscriber: { conn: Deno.Conn; v5: boolean } | undefined;
  #listener: Deno.TcpListener;
  #conns = new Set<Deno.Conn>();

  constructor() {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accept();
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) this.#serve(conn);
    } catch { /* closed */ }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    this.#conns.add(conn);
    const reader = new FrameReader();
    let v5 = false;
    const replies: Uint8Array[] = [];
    const onFrame = (buf: Uint8Array, frame: number, body: number, end: number): boolean => {
      const version = v5 ? 5 : 4;
      const p = decodeFrame(buf, frame, body, end, { protocolVersion: version });
      if (p.cmd === "publish") {
        // A window with nothing in it still emits, an empty array ("[]"): not a result here.
        if (p.payload.length > 2) {
          this.received++;
          this.lastResultAt = performance.now();
        }
      } else if (p.cmd === "connect") {
        v5 = p.protocolVersion === 5;
        const ok = v5 ? { reasonCode: 0 } : { returnCode: 0 };
        replies.push(
          encodePacket({ cmd: "connack", sessionPresent: false, ...ok }, p.protocolVersion),
        );
      } else if (p.cmd === "subscribe") {
        this.subscriber = { conn, v5 };
        const granted = p.subscriptions.map(() => 0);
        replies.push(encodePacket({ cmd: "suback", messageId: p.messageId, granted }, version));
      } else if (p.cmd === "unsubscribe") {
        const granted = v5 ? p.unsubscriptions.map(() => 0) : undefined;
        replies.push(encodePacket({ cmd: "unsuback", messageId: p.messageId, granted }, version));
      } else if (p.cmd === "pingreq") {
        replies.push(encodePacket({ cmd: "pingresp" }, version));
      }
      return true;
    };
    const buf = new Uint8Array(256 * 1024);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        reader.push(buf.slice(0, n), onFrame);
        for (const r of replies.splice(0)) await writeAll(conn, r);
      }
    } catch { /* reset */ }
    this.#conns.delete(conn);
  }

  close(): void {
    this.#listener.close();
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* already */ }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function oneRun(
  cleanup: Cleanup,
  program: string,
  w: Workload,
): Promise<
  { usPerMsg: number; seconds: number; received: number; faults: number; hwmMiB: number }
> {
  const broker = new FeedBroker();
  cleanup.add(() => broker.close());
  let weir: WeirChild | undefined;
  try {
    const v8 = values["v8-flags"] ? [`--v8-flags=${values["v8-flags"]}`] : [];
    weir = await startWeir(cleanup, `mqtt://127.0.0.1:${broker.port}`, v8, 50, program);
    const rules = RULES === 0
      ? [{ id: "cost", sql: values.sql }]
      : Array.from({ length: RULES }, (_, k) => ({ id: `cost_${k}`, sql: s3RuleSql(RULES, k) }));
    await weir.request("POST", "/streams", { sql: streamSql(RULES > 0) });
    for (const { id, sql } of rules) {
      await weir.request("POST", "/rules", {
        id,
        sql,
        actions: [{ mqtt: { server: `mqtt://127.0.0.1:${broker.port}`, topic: S1_OUT, qos: 0 } }],
      });
    }
    const deadline = Date.now() + 20_000;
    while (!broker.subscriber) {
      if (Date.now() > deadline) throw new Error("Weir never subscribed");
      await sleep(20);
    }
    const sub = broker.subscriber;
    // Every rule answers once (rule k of R takes the ids k mod R; id -1 serves a single rule).
    // A window rule answers only when its window closes: a few warm-up messages are enough.
    const ids = RULES === 0 ? [-1] : rules.map((_, k) => k);
    const packets = ids.map((id) =>
      publishPacket(S1_IN, enc.encode(warmupPayload().replace('"id":-1', `"id":${id}`)), sub.v5)
    );
    const warm = concat(packets, packets.reduce((n, p) => n + p.length, 0));
    for (let i = 0; broker.received < ids.length && i < 150; i++) {
      await writeAll(sub.conn, warm);
      await sleep(20);
    }
    await sleep(1200);
    await weir.settled();
    const blocks = encodeWorkload(w, sub.v5);
    broker.received = 0;
    const cpu0 = cpuSeconds(weir.pid);
    const faults0 = minorFaults(weir.pid);
    const t0 = performance.now();
    for (const b of blocks) await writeAll(sub.conn, b);
    // S1's rule and S3's shape produce a known number of results; other rules end when quiet.
    const countKnown = RULES > 0 || values.sql === S1_SQL;
    for (;;) {
      await sleep(20);
      if (countKnown && broker.received >= w.expected) break;
      const quiet = performance.now() - Math.max(broker.lastResultAt, t0);
      if (quiet > QUIET_MS + (countKnown ? 5000 : 0)) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(weir.pid) - cpu0;
    const faults = minorFaults(weir.pid) - faults0;
    const hwmMiB = statusKb(weir.pid, "VmHWM") / 1024;
    if (countKnown && broker.received !== w.expected) {
      throw new Error(`${broker.received} results of ${w.expected} expected`);
    }
    return { usPerMsg: cpu * 1e6 / w.n, seconds, received: broker.received, faults, hwmMiB };
  } finally {
    await weir?.stop();
    broker.close();
  }
}

Deno.exit(
  await runBenchmark("engine_cost", Number(values.timeout), async ({ cleanup }) => {
    const program = await programPath(weirProgram(values.program), cleanup);
    const w = makeWorkload(N);
    const figures: number[] = [];
    for (let r = 1; r <= RUNS; r++) {
      const res = await oneRun(cleanup, program, w);
      figures.push(res.usPerMsg);
      console.log(
        `run ${r}: ${res.usPerMsg.toFixed(2)} µs/msg Weir CPU, ` +
          `${(res.faults * 1000 / N).toFixed(0)} page faults per 1,000 msgs, peak RSS ${
            res.hwmMiB.toFixed(1)
          } MiB, ` +
          `${res.received} results, ` +
          `${Math.round(N / res.seconds).toLocaleString("en")} msgs/s`,
      );
    }
    const sorted = [...figures].sort((a, b) => a - b);
    console.log(
      `Weir CPU µs/msg: min ${sorted[0].toFixed(2)}, median ${
        sorted[Math.floor(sorted.length / 2)].toFixed(2)
      } (${RUNS} runs, ${N.toLocaleString("en")} messages, ${values.program}${
        RULES > 0 ? `, ${RULES} rules on a SHARED stream` : ""
      })`,
    );
    return 0;
  }),
);
