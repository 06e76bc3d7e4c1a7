/**
 * S1 baseline: a filter + projection rule over an MQTT stream, against mosquitto relaying alone.
 *
 *   deno task bench                                   # 200,000 messages, flood, 1 run
 *   deno task bench --messages 20000 --rate 2000      # fixed rate: latency p50/p99
 *   deno task bench --runs 3                          # median of 3 runs
 *
 * Flags: --messages N (200000), --runs K (1), --rate R (msgs/s; omitted: as fast as the socket
 * takes them), --timeout S (hard limit for the whole benchmark, 300), --sink-client-id ID (give
 * the rule's mqtt action its own client id, hence its own connection: Weir pools one connection
 * per broker otherwise, shared by the source and the sink; see bench/RESULTS.md, latency).
 *
 * Everything runs on loopback: a private mosquitto (temp config, free port) and, per run,
 *  1. baseline — one mqtt.js client publishes the N messages to `bench/out`, another counts them
 *     there: what mosquitto and the client library cost without an engine;
 *  2. weir — Weir as a child process (fresh home, embedded broker off) with stream `s` on
 *     `bench/in` and a rule `SELECT id, temperature FROM s WHERE temperature > 30` publishing
 *     to `bench/out`; the N messages go to `bench/in`, results are counted on `bench/out`.
 * With --rate every message carries its send time in `ts` and the rule also selects `ts`, so
 * each result gives one latency sample (publish → mosquitto → Weir → mosquitto → subscriber).
 *
 * Prints a table and a Markdown snippet for bench/RESULTS.md, writes bench/results/s1-*.json.
 * Processes and temp folders are removed at the end, on failure, on Ctrl-C and on the timeout.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MqttClient } from "mqtt";
import {
  Cleanup,
  guardRun,
  type Mosquitto,
  mosquittoVersion,
  ROOT,
  startMosquitto,
  startWeir,
} from "./lib/procs.ts";
import { childPids, commandLine, ProcSampler, statusKb } from "./lib/proc_stats.ts";
import {
  connect,
  Counter,
  makeWorkload,
  percentile,
  publishFlood,
  publishPaced,
  type PublishResult,
  subscribe,
  warmupPayload,
  type Workload,
} from "./lib/load.ts";
import { fixed, int, machine, markdownTable, median, mib, textTable } from "./lib/report.ts";

const IN = "bench/in";
const OUT = "bench/out";
const RULE_ID = "s1";
const STREAM_SQL = 'CREATE STREAM s () WITH (DATASOURCE="bench/in", FORMAT="json")';
const RULE_SQL = "SELECT id, temperature FROM s WHERE temperature > 30";
/** Latency variant: `ts` (send time) travels through the rule to the result. */
const RULE_SQL_TS = "SELECT id, temperature, ts FROM s WHERE temperature > 30";
/** A phase ends this long after the publisher finished and results stopped arriving. */
const IDLE_MS = 3000;

interface Options {
  messages: number;
  runs: number;
  rate?: number;
  timeoutS: number;
  sinkClientId?: string;
}

function options(): Options {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      messages: { type: "string", default: "200000" },
      runs: { type: "string", default: "1" },
      rate: { type: "string" },
      timeout: { type: "string", default: "300" },
      "sink-client-id": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "deno task bench [--messages N] [--runs K] [--rate MSGS_PER_S] [--timeout S] " +
        "[--sink-client-id ID]",
    );
    Deno.exit(0);
  }
  const pos = (name: string, v: string | undefined, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new Error(`--${name} must be an integer in 1..${max}, got ${v}`);
    }
    return n;
  };
  return {
    messages: pos("messages", values.messages, 5_000_000),
    runs: pos("runs", values.runs, 20),
    rate: values.rate === undefined ? undefined : pos("rate", values.rate, 1_000_000),
    timeoutS: pos("timeout", values.timeout, 3600),
    sinkClientId: values["sink-client-id"],
  };
}

interface Latency {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latency(counter: Counter): Latency | undefined {
  if (!counter.latency) return undefined;
  const v = counter.latencies.sort((a, b) => a - b);
  return {
    samples: v.length,
    p50Ms: percentile(v, 50),
    p90Ms: percentile(v, 90),
    p99Ms: percentile(v, 99),
    maxMs: v.length ? v[v.length - 1] : NaN,
  };
}

interface Cpu {
  percent: number;
  usPerMessage: number;
}

function cpu(sampler: ProcSampler, i: number, from: number, to: number, n: number): Cpu {
  const c = sampler.cpu(i, from, to);
  return { percent: 100 * c.seconds / c.wallSeconds, usPerMessage: c.seconds * 1e6 / n };
}

interface BaselineResult {
  sent: number;
  received: number;
  loss: number;
  ending: string;
  publishSeconds: number;
  publishRate: number;
  /** first send → last receive */
  windowSeconds: number;
  throughput: number;
  mosquittoCpu: Cpu;
  benchCpu: Cpu;
  latency?: Latency;
}

interface WeirResult {
  sent: number;
  expected: number;
  received: number;
  loss: number;
  ending: string;
  publishSeconds: number;
  publishRate: number;
  windowSeconds: number;
  resultsRate: number;
  /** sent ÷ (first send → last result) */
  throughput: number;
  /** decoded ÷ (first send → last result): messages Weir actually processed, per second */
  processedRate: number;
  metrics: Record<string, number>;
  weirCpu: Cpu;
  mosquittoCpu: Cpu;
  benchCpu: Cpu;
  rssIdleKb: number;
  rssPeakKb: number;
  vmHwmKb: number;
  rssSamples: number;
  latency?: Latency;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Deadline {
  constructor(readonly at: number) {}
  /** Milliseconds left, at least `min` (a phase always gets a little time to finish). */
  left(min = 1000): number {
    return Math.max(min, this.at - performance.now());
  }
}

function publish(client: MqttClient, topic: string, w: Workload, rate?: number) {
  return rate ? publishPaced(client, topic, w, rate) : publishFlood(client, topic, w);
}

async function runBaseline(
  mosq: Mosquitto,
  w: Workload,
  o: Options,
  run: number,
  deadline: Deadline,
): Promise<BaselineResult> {
  const counter = new Counter(o.rate !== undefined);
  const sub = await subscribe(mosq.url, `bench-base-sub-${run}`, OUT, counter);
  const pub = await connect(mosq.url, `bench-base-pub-${run}`);
  const sampler = new ProcSampler([mosq.pid, Deno.pid]);
  try {
    sampler.start();
    const published = publish(pub, OUT, w, o.rate);
    const ending = await counter.waitFor(w.n, published, IDLE_MS, deadline.left());
    const p = await published;
    await sleep(2 * sampler.intervalMs);
    sampler.stop();
    const end = Math.max(p.endAt, counter.lastAt);
    const windowSeconds = (counter.lastAt - p.startAt) / 1000;
    return {
      sent: w.n,
      received: counter.received,
      loss: w.n - counter.received,
      ending,
      publishSeconds: (p.endAt - p.startAt) / 1000,
      publishRate: w.n / ((p.endAt - p.startAt) / 1000),
      windowSeconds,
      throughput: counter.received / windowSeconds,
      mosquittoCpu: cpu(sampler, 0, p.startAt, end, w.n),
      benchCpu: cpu(sampler, 1, p.startAt, end, w.n),
      latency: latency(counter),
    };
  } finally {
    sampler.stop();
    await pub.endAsync(true);
    await sub.endAsync(true);
  }
}

function action(mosq: Mosquitto, o: Options): Record<string, unknown> {
  const a: Record<string, unknown> = { server: mosq.url, topic: OUT, qos: 0 };
  if (o.sinkClientId) a.clientId = o.sinkClientId;
  return a;
}

function num(v: unknown): number {
  return typeof v === "number" ? v : NaN;
}

/** The rule-status counters S1 reports, as deltas over the measured window. */
function ruleCounters(before: Record<string, unknown>, after: Record<string, unknown>) {
  const key = (re: RegExp) => Object.keys(after).find((k) => re.test(k));
  const delta = (re: RegExp) => {
    const k = key(re);
    return k ? num(after[k]) - num(before[k] ?? 0) : NaN;
  };
  return {
    source_records_in: delta(/^source_s_0_records_in_total$/),
    source_exceptions: delta(/^source_s_0_exceptions_total$/),
    decoder_records_in: delta(/^op_\d+_decoder_0_records_in_total$/),
    decoder_records_out: delta(/^op_\d+_decoder_0_records_out_total$/),
    decoder_exceptions: delta(/^op_\d+_decoder_0_exceptions_total$/),
    filter_records_in: delta(/^op_\d+_filter_0_records_in_total$/),
    filter_records_out: delta(/^op_\d+_filter_0_records_out_total$/),
    project_records_out: delta(/^op_\d+_project_0_records_out_total$/),
    sink_records_in: delta(/^sink_mqtt_0_0_records_in_total$/),
    sink_records_out: delta(/^sink_mqtt_0_0_records_out_total$/),
    sink_exceptions: delta(/^sink_mqtt_0_0_exceptions_total$/),
  };
}

async function runWeir(
  mosq: Mosquitto,
  cleanup: Cleanup,
  w: Workload,
  o: Options,
  run: number,
  deadline: Deadline,
): Promise<WeirResult> {
  const weir = await startWeir(cleanup, mosq.url);
  let sub: MqttClient | undefined;
  let pub: MqttClient | undefined;
  const sampler = new ProcSampler([weir.pid, mosq.pid, Deno.pid]);
  try {
    // `deno run` executes main.ts in the process Deno.Command started: sample that pid.
    const cmd = commandLine(weir.pid);
    if (!cmd.includes("main.ts") || childPids(weir.pid).length > 0) {
      throw new Error(`pid ${weir.pid} is not the Weir process: ${cmd}`);
    }
    await weir.request("POST", "/streams", { sql: STREAM_SQL });
    await weir.request("POST", "/rules", {
      id: RULE_ID,
      sql: o.rate ? RULE_SQL_TS : RULE_SQL,
      actions: [{ mqtt: action(mosq, o) }],
    });
    const counter = new Counter(o.rate !== undefined);
    sub = await subscribe(mosq.url, `bench-weir-sub-${run}`, OUT, counter);
    pub = await connect(mosq.url, `bench-weir-pub-${run}`);

    // Warm-up: the rule's subscription is live once a message it passes comes out.
    const warmUntil = performance.now() + 20_000;
    while (counter.received === 0) {
      if (performance.now() > warmUntil) {
        throw new Error(`no warm-up result from Weir in 20 s:\n${weir.log.slice(-20).join("\n")}`);
      }
      pub.publish(IN, warmupPayload(), { qos: 0 });
      await sleep(200);
    }
    await counter.quiet(500, 5000);
    const before = await weir.request("GET", `/rules/${RULE_ID}/status`) as Record<
      string,
      unknown
    >;
    if (before.status !== "running") throw new Error(`rule not running: ${JSON.stringify(before)}`);
    const rssIdleKb = statusKb(weir.pid, "VmRSS");
    counter.reset();

    sampler.start();
    const published = publish(pub, IN, w, o.rate);
    const ending = await counter.waitFor(w.expected, published, IDLE_MS, deadline.left());
    const p: PublishResult = await published;
    await sleep(2 * sampler.intervalMs);
    sampler.stop();
    const after = await weir.request("GET", `/rules/${RULE_ID}/status`) as Record<
      string,
      unknown
    >;
    const vmHwmKb = statusKb(weir.pid, "VmHWM");
    const lastAt = counter.received > 0 ? counter.lastAt : p.endAt;
    const end = Math.max(p.endAt, lastAt);
    const windowSeconds = (lastAt - p.startAt) / 1000;
    const metrics = ruleCounters(before, after);
    return {
      sent: w.n,
      expected: w.expected,
      received: counter.received,
      loss: w.expected - counter.received,
      ending,
      publishSeconds: (p.endAt - p.startAt) / 1000,
      publishRate: w.n / ((p.endAt - p.startAt) / 1000),
      windowSeconds,
      resultsRate: counter.received / windowSeconds,
      throughput: w.n / windowSeconds,
      processedRate: metrics.decoder_records_in / windowSeconds,
      metrics,
      weirCpu: cpu(sampler, 0, p.startAt, end, w.n),
      mosquittoCpu: cpu(sampler, 1, p.startAt, end, w.n),
      benchCpu: cpu(sampler, 2, p.startAt, end, w.n),
      rssIdleKb,
      rssPeakKb: sampler.peakRssKb(0),
      vmHwmKb,
      rssSamples: sampler.count,
      latency: latency(counter),
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

/** Median of each numeric field over runs (nested one level), for the summary column. */
function medianOf<T>(xs: T[]): T {
  const first = xs[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(first)) {
    if (typeof v === "number") {
      out[k] = median(xs.map((x) => (x as Record<string, number>)[k]));
    } else if (v && typeof v === "object") out[k] = medianOf(xs.map((x) => (x as never)[k]));
    else out[k] = v;
  }
  return out as T;
}

function latencyCell(l: Latency | undefined): string {
  return l ? `${fixed(l.p50Ms, 2)} / ${fixed(l.p99Ms, 2)} ms` : "–";
}

function rows(b: BaselineResult, w: WeirResult): string[][] {
  const m = w.metrics;
  return [
    ["messages sent", int(b.sent), int(w.sent)],
    ["results expected (temperature > 30)", int(b.sent), int(w.expected)],
    ["results received", int(b.received), int(w.received)],
    ["loss (expected − received)", int(b.loss), int(w.loss)],
    ["publish rate achieved, msgs/s", int(b.publishRate), int(w.publishRate)],
    ["first send → last result, s", fixed(b.windowSeconds, 3), fixed(w.windowSeconds, 3)],
    ["results/s", int(b.throughput), int(w.resultsRate)],
    ["end-to-end, msgs sent/s", int(b.throughput), int(w.throughput)],
    ["end-to-end, msgs decoded/s", "–", int(w.processedRate)],
    ["weir source_s records_in", "–", int(m.source_records_in)],
    ["weir source_s exceptions (drops)", "–", int(m.source_exceptions)],
    ["weir decoder in / out", "–", `${int(m.decoder_records_in)} / ${int(m.decoder_records_out)}`],
    ["weir filter in / out", "–", `${int(m.filter_records_in)} / ${int(m.filter_records_out)}`],
    ["weir project out", "–", int(m.project_records_out)],
    ["weir sink out / exceptions", "–", `${int(m.sink_records_out)} / ${int(m.sink_exceptions)}`],
    ["weir CPU % (100 = one core)", "–", fixed(w.weirCpu.percent)],
    ["weir CPU µs per message sent", "–", fixed(w.weirCpu.usPerMessage, 2)],
    ["weir RSS idle / peak (50 ms samples)", "–", `${mib(w.rssIdleKb)} / ${mib(w.rssPeakKb)}`],
    ["weir VmHWM at end", "–", mib(w.vmHwmKb)],
    ["mosquitto CPU %", fixed(b.mosquittoCpu.percent), fixed(w.mosquittoCpu.percent)],
    ["bench process CPU % (pub + sub)", fixed(b.benchCpu.percent), fixed(w.benchCpu.percent)],
    ["latency p50 / p99", latencyCell(b.latency), latencyCell(w.latency)],
    ["phase ended by", b.ending, w.ending],
  ];
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`s1: ${(e as Error).message}`);
    return 2;
  }
  const cleanup = new Cleanup();
  const unguard = guardRun("s1", o.timeoutS, cleanup);
  const deadline = new Deadline(performance.now() + o.timeoutS * 1000 - 10_000);
  let mosq: Mosquitto | undefined;
  try {
    const date = new Date().toISOString().slice(0, 10);
    const env = {
      machine: machine(),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      mosquitto: mosquittoVersion(),
    };
    const w = makeWorkload(o.messages);
    const mode = o.rate ? `fixed rate ${o.rate} msgs/s` : "flood (as fast as the socket takes)";
    console.log(
      `S1 ${date}: ${int(o.messages)} messages, ${mode}, ${o.runs} run(s); ` +
        `${int(w.expected)} pass the filter\n` +
        `machine: ${env.machine.nproc} × ${env.machine.cpuModel}, ` +
        `${int(env.machine.memTotalMiB)} MiB; deno ${env.deno}; mosquitto ${env.mosquitto}`,
    );
    mosq = await startMosquitto(cleanup);
    const runs: { baseline: BaselineResult; weir: WeirResult }[] = [];
    for (let run = 1; run <= o.runs; run++) {
      console.log(`run ${run}/${o.runs}: baseline (mosquitto relay, no engine)…`);
      const baseline = await runBaseline(mosq, w, o, run, deadline);
      console.log(`run ${run}/${o.runs}: weir…`);
      const weir = await runWeir(mosq, cleanup, w, o, run, deadline);
      runs.push({ baseline, weir });
    }
    const summary = {
      baseline: medianOf(runs.map((r) => r.baseline)),
      weir: medianOf(runs.map((r) => r.weir)),
    };

    console.log("");
    for (const [i, r] of runs.entries()) {
      if (runs.length > 1) console.log(`run ${i + 1}`);
      console.log(textTable(["S1", "baseline", "weir"], rows(r.baseline, r.weir)) + "\n");
    }
    if (runs.length > 1) {
      console.log(`median of ${runs.length} runs`);
      console.log(textTable(["S1", "baseline", "weir"], rows(summary.baseline, summary.weir)));
    }

    const command = ["deno task bench", ...Deno.args].join(" ");
    const result = {
      bench: "s1",
      date,
      command,
      options: o,
      ...env,
      workload: {
        messages: w.n,
        expectedResults: w.expected,
        inTopic: IN,
        outTopic: OUT,
        qos: 0,
        stream: STREAM_SQL,
        rule: o.rate ? RULE_SQL_TS : RULE_SQL,
        action: { mqtt: action(mosq, o) },
      },
      runs,
      median: summary,
    };
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const suffix = (o.rate ? `-rate${o.rate}` : "") +
      (o.messages !== 200_000 ? `-n${o.messages}` : "") + (o.runs > 1 ? `-runs${o.runs}` : "") +
      (o.sinkClientId ? "-sinkcid" : "");
    const file = join(dir, `s1-${date}${suffix}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwrote ${file.slice(ROOT.length + 1)}`);

    const md = rows(summary.baseline, summary.weir).filter((r) =>
      r[0] !== "phase ended by" && (o.rate !== undefined || r[0] !== "latency p50 / p99")
    );
    console.log(
      `\nMarkdown for bench/RESULTS.md:\n\n` +
        `\`${command}\` — ${int(w.n)} messages, ${mode}` +
        `${runs.length > 1 ? `, median of ${runs.length} runs` : ""}; ` +
        `rule \`${o.rate ? RULE_SQL_TS : RULE_SQL}\`` +
        (o.sinkClientId ? `, sink clientId \`${o.sinkClientId}\` (own connection)` : "") +
        "\n\n" +
        markdownTable(["S1", "baseline (mosquitto only)", "Weir"], md),
    );
    return 0;
  } catch (e) {
    console.error(`s1 failed: ${(e as Error).stack ?? e}`);
    if (mosq?.log.length) console.error(`mosquitto log:\n${mosq.log.join("\n")}`);
    return 1;
  } finally {
    await mosq?.stop();
    cleanup.runAll();
    unguard();
  }
}

Deno.exit(await main());
