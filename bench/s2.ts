/**
 * S2: a 1 s tumbling-window average grouped by 100 ids, over MQTT, against the hand-written
 * mqtt.js S1 script's cost per message in the same invocation.
 *
 *   deno task bench:s2                              # 400,000 messages, flood
 *   deno task bench:s2 --messages 100000
 *   deno task bench:s2 --buffer-length 8192         # the rule's source buffer (default 1024)
 *   deno task bench:s2 --incremental                # planOptimizeStrategy.enableIncrementalWindow
 *   deno task bench:s2 --runs 5                     # 5 rounds (script, then Weir): medians
 *
 * Flags: --messages N (400000), --baseline-messages M (200000: the hand-written phase's flood),
 * --buffer-length B, --incremental (fold the window's aggregates as rows arrive), --runs K (1;
 * rounds of both phases, each figure's median reported and the ratio taken within each round
 * then its median: this VM's speed drifts by ±15 % between runs), --timeout S (hard limit for
 * the whole benchmark, 300).
 *
 * A private mosquitto on a free loopback port, then:
 *  1. hand-written — bench/baseline/s1_mqttjs.ts (the S1 rule by hand) as a child process,
 *     measured exactly as in bench/s1.ts (bench/lib/s1_phase.ts) over an M-message flood: its
 *     CPU µs per message is the reference of the issue's S2 target, Weir's S2 CPU per message
 *     ≤ 0.3 × the hand-written script's S1 cost;
 *  2. Weir — a child process (fresh home, embedded broker off) with stream `s` on `bench/in`
 *     and the rule
 *       SELECT id, avg(temperature) AS avg_t, count(*) AS c, window_end() AS we
 *       FROM s GROUP BY id, TUMBLINGWINDOW(ss, 1)
 *     publishing each window's groups to `bench/out`. The N messages (`id` = i % 100) go to
 *     `bench/in` as fast as the socket takes them; the subscriber adds up `c` over every result
 *     row, so the run checks that every message was counted in exactly one window.
 *
 * Reported: messages/s (sent ÷ first send → last window with data), CPU µs per message and
 * CPU %, RSS idle and peak, the windows received, the CPU other processes used (contention) and
 * Weir-S2 ÷ hand-written-S1 CPU per message. Writes bench/results/s2-*.json. Processes and temp
 * folders are removed at the end, on failure, on Ctrl-C and on the timeout.
 *
 * @module
 */
import { positiveInt } from "./lib/args.ts";
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Cleanup,
  type Mosquitto,
  mosquittoVersion,
  ROOT,
  runBenchmark,
  startWeir,
} from "./lib/procs.ts";
import { OtherCpu, ProcSampler, statusKb } from "./lib/proc_stats.ts";
import {
  type BenchClient,
  connect,
  makeWorkload,
  publishFlood,
  warmupPayload,
} from "./lib/load.ts";
import { type EngineResult, IDLE_MS, runS1Phase, startHandWritten } from "./lib/s1_phase.ts";
import { counterDelta, type Status } from "./lib/rule_status.ts";
import { fixed, int, machine, markdownTable, medianOf, mib, textTable } from "./lib/report.ts";

const IN = "bench/in";
const OUT = "bench/out";
const STREAM_SQL = `CREATE STREAM s () WITH (DATASOURCE="${IN}", FORMAT="json")`;
const RULE_SQL = "SELECT id, avg(temperature) AS avg_t, count(*) AS c, window_end() AS we " +
  "FROM s GROUP BY id, TUMBLINGWINDOW(ss, 1)";
/** The issue's S2 target: Weir's S2 CPU per message ≤ this × the hand-written S1 cost. */
const TARGET = 0.3;

interface Options {
  messages: number;
  baselineMessages: number;
  bufferLength?: number;
  /** Rule option planOptimizeStrategy.enableIncrementalWindow. */
  incremental: boolean;
  runs: number;
  timeoutS: number;
}

function options(): Options {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      messages: { type: "string", default: "400000" },
      "baseline-messages": { type: "string", default: "200000" },
      "buffer-length": { type: "string" },
      incremental: { type: "boolean", default: false },
      runs: { type: "string", default: "1" },
      timeout: { type: "string", default: "300" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "deno task bench:s2 [--messages N] [--baseline-messages M] [--buffer-length B] " +
        "[--incremental] [--runs K] [--timeout S]",
    );
    Deno.exit(0);
  }
  const bl = values["buffer-length"];
  return {
    messages: positiveInt("messages", values.messages, 5_000_000),
    baselineMessages: positiveInt("baseline-messages", values["baseline-messages"], 5_000_000),
    bufferLength: bl === undefined ? undefined : positiveInt("buffer-length", bl, 1_000_000),
    incremental: values.incremental === true,
    runs: positiveInt("runs", values.runs, 20),
    timeoutS: positiveInt("timeout", values.timeout, 3600),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Adds up the `c` of every row of every window emission. */
class WindowCounter {
  /** Windows with at least one workload row (warm-up rows have id -1). */
  windows = 0;
  rows = 0;
  counted = 0;
  lastDataAt = 0;
  /** A window with a warm-up row came out: the rule's subscription is live. */
  warm = false;
  onMessage = (_topic: string, body: Uint8Array): void => {
    const rows = JSON.parse(new TextDecoder().decode(body)) as { id: number; c: number }[];
    const data = rows.filter((r) => r.id !== -1);
    if (data.length < rows.length) this.warm = true;
    if (data.length === 0) return;
    this.windows++;
    this.rows += data.length;
    for (const r of data) this.counted += r.c;
    this.lastDataAt = performance.now();
  };

  /** Resolves once `n` messages were counted, or `idleMs` after the last data once published. */
  async waitFor(n: number, published: Promise<unknown>, idleMs: number, capMs: number) {
    let doneAt = 0;
    const done = () => doneAt = performance.now();
    published.then(done, done);
    const cap = performance.now() + capMs;
    for (;;) {
      if (this.counted >= n) return "complete";
      const now = performance.now();
      if (doneAt && now - Math.max(doneAt, this.lastDataAt) > idleMs) return "idle";
      if (now > cap) return "cap";
      await sleep(50);
    }
  }
}

interface WeirS2Result {
  sent: number;
  counted: number;
  loss: number;
  ending: string;
  windows: number;
  rows: number;
  publishSeconds: number;
  /** first send → last window with data */
  seconds: number;
  throughput: number;
  cpuPercent: number;
  cpuUsPerMessage: number;
  sourceRecordsIn: number;
  sourceDropped: number;
  windowRecordsIn: number;
  rssIdleKb: number;
  rssPeakKb: number;
  vmHwmKb: number;
  otherCpuPercent: number;
}

async function runHandWritten(
  mosq: Mosquitto,
  cleanup: Cleanup,
  o: Options,
  capMs: number,
): Promise<EngineResult> {
  const script = await startHandWritten(cleanup, mosq.url);
  try {
    const w = makeWorkload(o.baselineMessages);
    return (await runS1Phase(script, mosq, w, { tag: "s2-hand", capMs })).result;
  } catch (e) {
    console.error(`hand-written script output (last lines):\n${script.log.slice(-30).join("\n")}`);
    throw e;
  } finally {
    await script.stop();
  }
}

async function runWeir(
  mosq: Mosquitto,
  cleanup: Cleanup,
  o: Options,
  capMs: number,
): Promise<WeirS2Result> {
  const weir = await startWeir(cleanup, mosq.url);
  let sub: BenchClient | undefined;
  let pub: BenchClient | undefined;
  const sampler = new ProcSampler([weir.pid]);
  try {
    await weir.request("POST", "/streams", { sql: STREAM_SQL });
    await weir.request("POST", "/rules", {
      id: "s2",
      sql: RULE_SQL,
      actions: [{ mqtt: { server: mosq.url, topic: OUT, qos: 0 } }],
      options: {
        ...(o.bufferLength ? { bufferLength: o.bufferLength } : {}),
        ...(o.incremental ? { planOptimizeStrategy: { enableIncrementalWindow: true } } : {}),
      },
    });
    const counter = new WindowCounter();
    sub = await connect(mosq.url, "bench-s2-sub");
    sub.on("message", counter.onMessage);
    await sub.subscribeAsync(OUT, { qos: 0 });
    pub = await connect(mosq.url, "bench-s2-pub");
    for (let i = 0; i < 100 && !counter.warm; i++) {
      pub.publish(IN, warmupPayload(), { qos: 0 });
      await sleep(300);
    }
    if (!counter.warm) throw new Error("no warm-up window from Weir");
    await sleep(1500); // the warm-up windows close
    await weir.settled();
    const status = async () => await weir.request("GET", "/rules/s2/status") as Status;
    const before = await status();
    const rssIdleKb = statusKb(weir.pid, "VmRSS");

    const w = makeWorkload(o.messages);
    const other = new OtherCpu([weir.pid, mosq.pid, Deno.pid]);
    sampler.start();
    const published = publishFlood(pub, IN, w);
    // A tumbling window emits once it closed: allow one window more than the idle time.
    const ending = await counter.waitFor(w.n, published, IDLE_MS + 1000, capMs);
    const p = await published;
    await sleep(2 * sampler.intervalMs);
    sampler.stop();
    const otherCpuPercent = other.percent();
    const after = await status();
    const end = counter.lastDataAt || p.endAt;
    const c = sampler.usage(0, p.startAt, end, w.n);
    const delta = (re: RegExp) => counterDelta(before, after, re);
    return {
      sent: w.n,
      counted: counter.counted,
      loss: w.n - counter.counted,
      ending,
      windows: counter.windows,
      rows: counter.rows,
      publishSeconds: (p.endAt - p.startAt) / 1000,
      seconds: (end - p.startAt) / 1000,
      throughput: w.n / ((end - p.startAt) / 1000),
      cpuPercent: c.percent,
      cpuUsPerMessage: c.usPerMessage,
      sourceRecordsIn: delta(/^source_s_0_records_in_total$/),
      sourceDropped: delta(/^source_s_0_exceptions_total$/),
      windowRecordsIn: delta(/^op_\d+_window_0_records_in_total$/),
      rssIdleKb,
      rssPeakKb: sampler.peakRssKb(0),
      vmHwmKb: statusKb(weir.pid, "VmHWM"),
      otherCpuPercent,
    };
  } catch (e) {
    console.error(`weir log (last lines):\n${weir.log.slice(-30).join("\n")}`);
    throw e;
  } finally {
    sampler.stop();
    await pub?.endAsync(true);
    await sub?.endAsync(true);
    await weir.stop();
  }
}

/** The table; `ratio` (the median of the rounds' ratios) replaces the one from `h` and `w`. */
function rows(h: EngineResult, w: WeirS2Result, ratio = cpuRatio(h, w)): string[][] {
  return [
    ["rule", "S1 (filter + projection)", "S2 (1 s tumbling avg, 100 ids)", ""],
    ["messages sent", int(h.sent), int(w.sent), ""],
    ["results expected / received", `${int(h.expected)} / ${int(h.received)}`, "–", ""],
    ["messages counted (Σ c) / windows", "–", `${int(w.counted)} / ${int(w.windows)}`, ""],
    ["loss", int(h.loss), int(w.loss), ""],
    ["weir source buffer drops", "–", int(w.sourceDropped), ""],
    ["end-to-end, msgs sent/s", int(h.throughput), int(w.throughput), ""],
    ["CPU % (100 = one core)", fixed(h.engineCpu.percent), fixed(w.cpuPercent), ""],
    [
      "CPU µs per message sent",
      fixed(h.engineCpu.usPerMessage, 2),
      fixed(w.cpuUsPerMessage, 2),
      Number.isFinite(ratio) ? `${fixed(ratio, 2)}× (target ≤ ${TARGET}×)` : "–",
    ],
    [
      "RSS idle / peak",
      `${mib(h.rssIdleKb)} / ${mib(h.rssPeakKb)}`,
      `${mib(w.rssIdleKb)} / ${mib(w.rssPeakKb)}`,
      "",
    ],
    ["other processes' CPU % (contention)", fixed(h.otherCpuPercent), fixed(w.otherCpuPercent), ""],
    ["phase ended by", h.ending, w.ending, ""],
  ];
}

function cpuRatio(h: EngineResult, w: WeirS2Result): number {
  return w.cpuUsPerMessage / h.engineCpu.usPerMessage;
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`s2: ${(e as Error).message}`);
    return 2;
  }
  const deadlineAt = performance.now() + o.timeoutS * 1000 - 10_000;
  const capMs = () => Math.max(1000, Math.min(120_000, deadlineAt - performance.now()));
  return await runBenchmark("s2", o.timeoutS, async ({ cleanup, startMosquitto }) => {
    const date = new Date().toISOString().slice(0, 10);
    const env = {
      machine: machine(),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      mosquitto: mosquittoVersion(),
    };
    console.log(
      `S2 ${date}: Weir S2 over ${int(o.messages)} messages against the hand-written S1 script ` +
        `over ${int(o.baselineMessages)}, flood\n` +
        `machine: ${env.machine.nproc} × ${env.machine.cpuModel}, ` +
        `${int(env.machine.memTotalMiB)} MiB; deno ${env.deno}; mosquitto ${env.mosquitto}`,
    );
    const mosq = await startMosquitto();
    const rounds: { handWritten: EngineResult; weir: WeirS2Result; ratio: number }[] = [];
    for (let k = 0; k < o.runs; k++) {
      const round = o.runs > 1 ? `round ${k + 1}/${o.runs}: ` : "";
      console.log(`${round}hand-written mqtt.js S1 script…`);
      const handWritten = await runHandWritten(mosq, cleanup, o, capMs());
      console.log(`${round}weir S2…`);
      const weir = await runWeir(mosq, cleanup, o, capMs());
      rounds.push({ handWritten, weir, ratio: cpuRatio(handWritten, weir) });
    }
    // The ratio's median is that of the rounds' ratios, not a ratio of medians.
    const { handWritten, weir, ratio } = medianOf(rounds);

    const header = ["S2", "hand-written mqtt.js", "Weir", "Weir S2 ÷ hand-written S1"];
    if (rounds.length > 1) {
      for (const [k, r] of rounds.entries()) {
        console.log(`\nround ${k + 1}\n` + textTable(header, rows(r.handWritten, r.weir)));
      }
      console.log(`\nmedian of ${rounds.length} rounds (the ratio taken within each round)`);
    }
    console.log("\n" + textTable(header, rows(handWritten, weir, ratio)));

    const command = ["deno task bench:s2", ...Deno.args].join(" ");
    const result = {
      bench: "s2",
      date,
      command,
      options: o,
      ...env,
      sql: RULE_SQL,
      handWritten,
      weir,
      cpuPerMessageRatio: ratio,
      target: TARGET,
      ...(rounds.length > 1 ? { rounds } : {}),
    };
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const tag = (o.bufferLength ? `-buf${o.bufferLength}` : "") + (o.runs > 1 ? `-x${o.runs}` : "");
    const file = join(dir, `s2-${date}-n${o.messages}${tag}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwrote ${file.slice(ROOT.length + 1)}`);
    console.log(
      `\nMarkdown for bench/RESULTS.md:\n\n\`${command}\`` +
        `${rounds.length > 1 ? ` (median of ${rounds.length} rounds)` : ""}\n\n` +
        markdownTable(
          header,
          rows(handWritten, weir, ratio).filter((r) => r[0] !== "phase ended by"),
        ),
    );
    return rounds.every((r) => r.handWritten.loss === 0 && r.weir.loss === 0) ? 0 : 1;
  });
}

if (import.meta.main) Deno.exit(await main());
