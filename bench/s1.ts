/**
 * S1: a filter + projection rule over an MQTT stream, Weir side by side with the hand-written
 * mqtt.js script a user would run instead, and with mosquitto relaying alone.
 *
 *   deno task bench                                   # 200,000 messages, flood, 1 run
 *   deno task bench --messages 20000 --rate 2000      # fixed rate: latency p50/p99
 *   deno task bench --runs 3                          # median of 3 runs
 *
 * Flags: --messages N (200000), --runs K (1), --rate R (msgs/s; omitted: as fast as the socket
 * takes them), --timeout S (hard limit for the whole benchmark, 300), --sink-client-id ID (give
 * the rule's mqtt action its own client id, hence its own connection: Weir pools one connection
 * per broker otherwise, shared by the source and the sink; see bench/RESULTS.md, latency),
 * --program source|bundle|bun (what runs Weir: `deno run main.ts`, the default; the bundle the
 * Deno binary embeds under `deno run`; the Bun binary `deno task build` makes).
 *
 * Everything runs on loopback: a private mosquitto (temp config, free port) and, per run,
 *  1. mosquitto only — one mqtt.js client publishes the N messages to `bench/out`, another
 *     counts them there: what mosquitto and the client library cost without an engine;
 *  2. hand-written — bench/baseline/s1_mqttjs.ts as a child process: subscribes to `bench/in`
 *     and publishes `{id, temperature, ts}` of every message with temperature > 30 to `bench/out`;
 *  3. Weir — a child process (fresh home, embedded broker off) with stream `s` on `bench/in` and
 *     the rule `SELECT id, temperature, ts FROM s WHERE temperature > 30` publishing to
 *     `bench/out`.
 * Phases 2 and 3 are measured the same way (bench/lib/s1_phase.ts): warm-up until one result
 * comes out, then the N messages go to `bench/in` and results are counted on `bench/out`, the
 * engine's CPU and RSS sampled from /proc. Every message carries its send time in `ts`, which the
 * rule passes through: with --rate each result gives one latency sample (publish → mosquitto →
 * engine → mosquitto → subscriber). The last column is Weir ÷ hand-written, with the issue's
 * targets for the flood: throughput ≥ 1.0×, CPU per message ≤ 0.5×.
 *
 * Prints a table and a Markdown snippet for bench/RESULTS.md, writes bench/results/s1-*.json.
 * Processes and temp folders are removed at the end, on failure, on Ctrl-C and on the timeout.
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
  programPath,
  ROOT,
  runBenchmark,
  startWeir,
  type WeirProgram,
  weirProgram,
} from "./lib/procs.ts";
import { childPids, commandLine, type CpuUsage, OtherCpu, ProcSampler } from "./lib/proc_stats.ts";
import {
  connect,
  Counter,
  type Latency,
  makeWorkload,
  publishWorkload,
  subscribe,
  type Workload,
} from "./lib/load.ts";
import {
  type EngineResult,
  IDLE_MS,
  runS1Phase,
  S1_IN,
  S1_OUT,
  S1_SQL,
  S1_STREAM_SQL,
  startHandWritten,
} from "./lib/s1_phase.ts";
import { counterDelta, type Status } from "./lib/rule_status.ts";
import { fixed, int, machine, markdownTable, medianOf, mib, textTable } from "./lib/report.ts";

const RULE_ID = "s1";

interface Options {
  messages: number;
  runs: number;
  rate?: number;
  timeoutS: number;
  sinkClientId?: string;
  program: WeirProgram;
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
      program: { type: "string", default: "source" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "deno task bench [--messages N] [--runs K] [--rate MSGS_PER_S] [--timeout S] " +
        "[--sink-client-id ID] [--program source|bundle|bun]",
    );
    Deno.exit(0);
  }
  return {
    messages: positiveInt("messages", values.messages, 5_000_000),
    runs: positiveInt("runs", values.runs, 20),
    rate: values.rate === undefined ? undefined : positiveInt("rate", values.rate, 1_000_000),
    timeoutS: positiveInt("timeout", values.timeout, 3600),
    sinkClientId: values["sink-client-id"],
    program: weirProgram(values.program),
  };
}

/** Mosquitto relaying alone: published to `bench/out`, counted there. */
interface RelayResult {
  sent: number;
  received: number;
  loss: number;
  ending: string;
  publishSeconds: number;
  publishRate: number;
  /** first send → last receive */
  windowSeconds: number;
  throughput: number;
  mosquittoCpu: CpuUsage;
  benchCpu: CpuUsage;
  otherCpuPercent: number;
  latency?: Latency;
}

interface WeirResult extends EngineResult {
  /** decoded ÷ (first send → last result): messages Weir actually processed, per second */
  processedRate: number;
  metrics: ReturnType<typeof ruleCounters>;
}

/** Weir's figure ÷ the hand-written script's, within one run (side by side). */
interface Ratios {
  throughput: number;
  cpuPercent: number;
  cpuPerMessage: number;
  rssPeak: number;
  vmHwm: number;
  latencyP50: number;
  latencyP99: number;
}

interface Run {
  relay: RelayResult;
  handWritten: EngineResult;
  weir: WeirResult;
  weirOverHandWritten: Ratios;
}

function ratios(h: EngineResult, w: WeirResult): Ratios {
  return {
    throughput: w.throughput / h.throughput,
    cpuPercent: w.engineCpu.percent / h.engineCpu.percent,
    cpuPerMessage: w.engineCpu.usPerMessage / h.engineCpu.usPerMessage,
    rssPeak: w.rssPeakKb / h.rssPeakKb,
    vmHwm: w.vmHwmKb / h.vmHwmKb,
    latencyP50: (w.latency?.p50Ms ?? NaN) / (h.latency?.p50Ms ?? NaN),
    latencyP99: (w.latency?.p99Ms ?? NaN) / (h.latency?.p99Ms ?? NaN),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Deadline {
  constructor(readonly at: number) {}
  /** Milliseconds left, at least `min` (a phase always gets a little time to finish). */
  left(min = 1000): number {
    return Math.max(min, this.at - performance.now());
  }
}

async function runRelay(
  mosq: Mosquitto,
  w: Workload,
  o: Options,
  run: number,
  deadline: Deadline,
): Promise<RelayResult> {
  const counter = new Counter(o.rate !== undefined);
  const sub = await subscribe(mosq.url, `bench-relay-sub-${run}`, S1_OUT, counter);
  const pub = await connect(mosq.url, `bench-relay-pub-${run}`);
  const sampler = new ProcSampler([mosq.pid, Deno.pid]);
  try {
    const other = new OtherCpu([mosq.pid, Deno.pid]);
    sampler.start();
    const published = publishWorkload(pub, S1_OUT, w, o.rate);
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
      mosquittoCpu: sampler.usage(0, p.startAt, end, w.n),
      benchCpu: sampler.usage(1, p.startAt, end, w.n),
      otherCpuPercent: other.percent(),
      latency: counter.latencySummary(),
    };
  } finally {
    sampler.stop();
    await pub.endAsync(true);
    await sub.endAsync(true);
  }
}

async function runHandWritten(
  mosq: Mosquitto,
  cleanup: Cleanup,
  w: Workload,
  o: Options,
  run: number,
  deadline: Deadline,
): Promise<EngineResult> {
  const script = await startHandWritten(cleanup, mosq.url);
  try {
    const phase = await runS1Phase(script, mosq, w, {
      rate: o.rate,
      tag: `hand-${run}`,
      capMs: deadline.left(),
    });
    return phase.result;
  } catch (e) {
    console.error(`hand-written script output (last lines):\n${script.log.slice(-30).join("\n")}`);
    throw e;
  } finally {
    await script.stop();
  }
}

function action(mosq: Mosquitto, o: Options): Record<string, unknown> {
  const a: Record<string, unknown> = { server: mosq.url, topic: S1_OUT, qos: 0 };
  if (o.sinkClientId) a.clientId = o.sinkClientId;
  return a;
}

/** The rule-status counters S1 reports, as deltas over the measured window. */
function ruleCounters(before: Status, after: Status) {
  const delta = (re: RegExp) => counterDelta(before, after, re);
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
  program: string,
): Promise<WeirResult> {
  const weir = await startWeir(cleanup, mosq.url, [], 50, program);
  try {
    // The program runs in the process Deno.Command started (`deno run` executes the script
    // itself, a binary is exec'd): sample that pid.
    const cmd = commandLine(weir.pid);
    if (!cmd.includes(program) || childPids(weir.pid).length > 0) {
      throw new Error(`pid ${weir.pid} is not the Weir process: ${cmd}`);
    }
    await weir.request("POST", "/streams", { sql: S1_STREAM_SQL });
    await weir.request("POST", "/rules", {
      id: RULE_ID,
      sql: S1_SQL,
      actions: [{ mqtt: action(mosq, o) }],
    });
    const status = async () => await weir.request("GET", `/rules/${RULE_ID}/status`) as Status;
    const { result, before, after } = await runS1Phase(
      { pid: weir.pid, status, settled: weir.settled },
      mosq,
      w,
      {
        rate: o.rate,
        tag: `weir-${run}`,
        capMs: deadline.left(),
      },
    );
    const metrics = ruleCounters(before!, after!);
    return {
      ...result,
      processedRate: metrics.decoder_records_in / result.windowSeconds,
      metrics,
    };
  } catch (e) {
    console.error(`weir log (last lines):\n${weir.log.slice(-30).join("\n")}`);
    throw e;
  } finally {
    await weir.stop();
  }
}

function latencyCell(l: Latency | undefined): string {
  return l ? `${fixed(l.p50Ms, 2)} / ${fixed(l.p99Ms, 2)} ms` : "–";
}

/** A ratio cell, with the issue's target when there is one. */
function ratio(r: number, target?: string): string {
  return Number.isFinite(r) ? `${fixed(r, 2)}×${target ? ` (target ${target})` : ""}` : "–";
}

const HEADER = ["S1", "mosquitto only", "hand-written mqtt.js", "Weir", "Weir ÷ hand-written"];

function rows(run: Run, flood: boolean): string[][] {
  const { relay: r, handWritten: h, weir: w, weirOverHandWritten: x } = run;
  const m = w.metrics;
  const weirOnly = (label: string, cell: string) => [label, "–", "–", cell, ""];
  return [
    ["messages sent", int(r.sent), int(h.sent), int(w.sent), ""],
    ["results expected", int(r.sent), int(h.expected), int(w.expected), ""],
    ["results received", int(r.received), int(h.received), int(w.received), ""],
    ["loss (expected − received)", int(r.loss), int(h.loss), int(w.loss), ""],
    [
      "publish rate achieved, msgs/s",
      int(r.publishRate),
      int(h.publishRate),
      int(w.publishRate),
      "",
    ],
    [
      "first send → last result, s",
      fixed(r.windowSeconds, 3),
      fixed(h.windowSeconds, 3),
      fixed(w.windowSeconds, 3),
      "",
    ],
    ["results/s", int(r.throughput), int(h.resultsRate), int(w.resultsRate), ""],
    [
      "end-to-end, msgs sent/s",
      int(r.throughput),
      int(h.throughput),
      int(w.throughput),
      ratio(x.throughput, flood ? "≥ 1.0×" : undefined),
    ],
    weirOnly("end-to-end, msgs decoded/s", int(w.processedRate)),
    weirOnly("weir source_s records_in", int(m.source_records_in)),
    weirOnly("weir source_s exceptions (drops)", int(m.source_exceptions)),
    weirOnly(
      "weir decoder in / out",
      `${int(m.decoder_records_in)} / ${int(m.decoder_records_out)}`,
    ),
    weirOnly(
      "weir filter in / out",
      `${int(m.filter_records_in)} / ${int(m.filter_records_out)}`,
    ),
    weirOnly("weir project out", int(m.project_records_out)),
    weirOnly(
      "weir sink out / exceptions",
      `${int(m.sink_records_out)} / ${int(m.sink_exceptions)}`,
    ),
    [
      "engine CPU % (100 = one core)",
      "–",
      fixed(h.engineCpu.percent),
      fixed(w.engineCpu.percent),
      ratio(x.cpuPercent),
    ],
    [
      "engine CPU µs per message sent",
      "–",
      fixed(h.engineCpu.usPerMessage, 2),
      fixed(w.engineCpu.usPerMessage, 2),
      ratio(x.cpuPerMessage, flood ? "≤ 0.5×" : undefined),
    ],
    [
      "engine RSS idle / peak (50 ms samples)",
      "–",
      `${mib(h.rssIdleKb)} / ${mib(h.rssPeakKb)}`,
      `${mib(w.rssIdleKb)} / ${mib(w.rssPeakKb)}`,
      ratio(x.rssPeak),
    ],
    ["engine VmHWM at end", "–", mib(h.vmHwmKb), mib(w.vmHwmKb), ratio(x.vmHwm)],
    [
      "mosquitto CPU %",
      fixed(r.mosquittoCpu.percent),
      fixed(h.mosquittoCpu.percent),
      fixed(w.mosquittoCpu.percent),
      "",
    ],
    [
      "bench process CPU % (pub + sub)",
      fixed(r.benchCpu.percent),
      fixed(h.benchCpu.percent),
      fixed(w.benchCpu.percent),
      "",
    ],
    [
      "other processes' CPU % (contention)",
      fixed(r.otherCpuPercent),
      fixed(h.otherCpuPercent),
      fixed(w.otherCpuPercent),
      "",
    ],
    [
      "latency p50 / p99",
      latencyCell(r.latency),
      latencyCell(h.latency),
      latencyCell(w.latency),
      flood ? "" : `${ratio(x.latencyP50)} / ${ratio(x.latencyP99)}`,
    ],
    ["phase ended by", r.ending, h.ending, w.ending, ""],
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
  const deadline = new Deadline(performance.now() + o.timeoutS * 1000 - 10_000);
  return await runBenchmark("s1", o.timeoutS, async ({ cleanup, startMosquitto }) => {
    const program = await programPath(o.program, cleanup);
    const date = new Date().toISOString().slice(0, 10);
    const env = {
      machine: machine(),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      mosquitto: mosquittoVersion(),
    };
    const w = makeWorkload(o.messages);
    const flood = o.rate === undefined;
    const mode = flood ? "flood (as fast as the socket takes)" : `fixed rate ${o.rate} msgs/s`;
    console.log(
      `S1 ${date}: ${int(o.messages)} messages, ${mode}, ${o.runs} run(s); ` +
        `${int(w.expected)} pass the filter\n` +
        `machine: ${env.machine.nproc} × ${env.machine.cpuModel}, ` +
        `${int(env.machine.memTotalMiB)} MiB; deno ${env.deno}; mosquitto ${env.mosquitto}\n` +
        `weir: ${o.program === "source" ? "deno run main.ts" : o.program} (${program})`,
    );
    const mosq = await startMosquitto();
    const runs: Run[] = [];
    for (let run = 1; run <= o.runs; run++) {
      console.log(`run ${run}/${o.runs}: mosquitto only (relay, no engine)…`);
      const relay = await runRelay(mosq, w, o, run, deadline);
      console.log(`run ${run}/${o.runs}: hand-written mqtt.js script…`);
      const handWritten = await runHandWritten(mosq, cleanup, w, o, run, deadline);
      console.log(`run ${run}/${o.runs}: weir…`);
      const weir = await runWeir(mosq, cleanup, w, o, run, deadline, program);
      runs.push({ relay, handWritten, weir, weirOverHandWritten: ratios(handWritten, weir) });
    }
    const summary = medianOf(runs);
    const table = (x: Run) => rows(x, flood);

    console.log("");
    for (const [i, r] of runs.entries()) {
      if (runs.length > 1) console.log(`run ${i + 1}`);
      console.log(textTable(HEADER, table(r)) + "\n");
    }
    if (runs.length > 1) {
      console.log(`median of ${runs.length} runs (each figure and each run's ratio separately)`);
      console.log(textTable(HEADER, table(summary)));
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
        inTopic: S1_IN,
        outTopic: S1_OUT,
        qos: 0,
        stream: S1_STREAM_SQL,
        rule: S1_SQL,
        action: { mqtt: action(mosq, o) },
      },
      runs,
      median: summary,
    };
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const suffix = (o.rate ? `-rate${o.rate}` : "") +
      (o.messages !== 200_000 ? `-n${o.messages}` : "") + (o.runs > 1 ? `-runs${o.runs}` : "") +
      (o.sinkClientId ? "-sinkcid" : "") + (o.program !== "source" ? `-${o.program}` : "");
    const file = join(dir, `s1-${date}${suffix}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwrote ${file.slice(ROOT.length + 1)}`);

    const md = table(summary).filter((r) =>
      r[0] !== "phase ended by" && (!flood || r[0] !== "latency p50 / p99")
    );
    console.log(
      `\nMarkdown for bench/RESULTS.md:\n\n` +
        `\`${command}\` — ${int(w.n)} messages, ${mode}` +
        `${runs.length > 1 ? `, median of ${runs.length} runs` : ""}; ` +
        `rule \`${S1_SQL}\`` +
        (o.sinkClientId ? `, sink clientId \`${o.sinkClientId}\` (own connection)` : "") +
        "\n\n" +
        markdownTable(HEADER, md),
    );
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main());
