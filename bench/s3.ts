/**
 * S3: many rules on one SHARED stream, against S1 (one rule) in the same invocation.
 *
 *   deno task bench:s3                          # S1, 10 and 100 rules, S1 again; 200,000 messages
 *   deno task bench:s3 --rules 10 --messages 50000
 *   deno task bench:s3 --runs 5                 # 5 rounds of every configuration: medians
 *
 * Flags: --messages N (200000), --rules R1,R2,… (10,100), --no-s1 (skip the S1 reference),
 * --runs K (1; rounds of all configurations, each figure's median reported, and each ratio to
 * S1 taken within its round, against the mean of the round's S1 phase and the next S1 phase:
 * the next round's, or a closing S1 phase after the last round. This VM's speed drifts by
 * ±15 % from phase to phase, so one round's ratio can be off by as much; an S3 phase lies
 * between the two S1 phases it is compared with), --timeout S (hard limit for the whole
 * benchmark, 300),
 * --v8-flags F (V8 flags for Weir, e.g. `--trace-gc`), --weir-log DIR (each Weir child's output
 * to DIR/s3-<n>-<R>-rules.log).
 *
 * A private mosquitto on a free loopback port; per configuration a fresh Weir child (fresh
 * home, embedded broker off):
 *  - S1: stream `CREATE STREAM s () WITH (DATASOURCE="bench/in", FORMAT="json")` and one rule
 *    `SELECT id, temperature, ts FROM s WHERE temperature > 30` (exactly bench/s1.ts's rule);
 *  - S3-R: the same stream with `SHARED="true"` and R rules, rule k (0 ≤ k < R)
 *    `SELECT id, temperature, ts FROM s WHERE id % R = k AND temperature > 30`.
 * Every rule publishes to `bench/out`. The ids of the workload are i % 100, so with R ≤ 100 each
 * message passing `temperature > 30` comes out of exactly one rule: the expected count per rule
 * and in total is computed from the workload itself, and checked against the results received
 * and against each rule's sink counter.
 *
 * Warm-up: messages with id R·1000 + k (temperature 99) are sent until every rule k has answered
 * once, so all subscriptions and pipelines are live before counters are read and reset.
 *
 * Reported per configuration: messages/s (sent ÷ first send → last result), results expected
 * and received, Weir CPU µs per message sent (utime+stime from /proc), peak RSS (50 ms samples)
 * and VmHWM, rule counters summed over all rules (records in, buffer drops, decoded, sink out),
 * mosquitto's CPU per message and its read and write system calls per 1,000 messages (the same
 * work in every phase: what its CPU per message does besides is the machine's speed), and the
 * CPU of processes the benchmark does not own (from /proc/stat): figures taken while that is
 * high were measured on a shared machine. Exits 1 when any result is missing.
 * Prints a Markdown table, writes bench/results/s3-*.json.
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
import {
  childPids,
  commandLine,
  type CpuUsage,
  OtherCpu,
  ProcSampler,
  statusKb,
  type Syscalls,
  syscalls,
} from "./lib/proc_stats.ts";
import {
  type BenchClient,
  connect,
  Counter,
  epochMs,
  makeWorkload,
  publishFlood,
  subscribe,
  type Workload,
} from "./lib/load.ts";
import {
  fixed,
  int,
  machine,
  markdownTable,
  median,
  medianOf,
  mib,
  textTable,
} from "./lib/report.ts";
import { counterDelta, type Status, summedDelta } from "./lib/rule_status.ts";
import { S1_IN as IN, S1_OUT as OUT, S1_SQL } from "./lib/s1_phase.ts";
import { s3RuleSql, streamSql } from "./lib/s3_shape.ts";

const IDLE_MS = 3000;
/** No single configuration may take longer than this once the flood started. */
const PHASE_CAP_MS = 120_000;

interface Options {
  messages: number;
  rules: number[];
  s1: boolean;
  runs: number;
  timeoutS: number;
  /** V8 flags for Weir (e.g. `--trace-gc`), and where each Weir child's output is written. */
  v8Flags: string;
  weirLog: string | undefined;
}

function options(): Options {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      messages: { type: "string", default: "200000" },
      rules: { type: "string", default: "10,100" },
      "no-s1": { type: "boolean", default: false },
      runs: { type: "string", default: "1" },
      timeout: { type: "string", default: "300" },
      "v8-flags": { type: "string", default: "" },
      "weir-log": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "deno task bench:s3 [--messages N] [--rules R1,R2,…] [--no-s1] [--runs K] [--timeout S]" +
        " [--v8-flags F] [--weir-log DIR]",
    );
    Deno.exit(0);
  }
  return {
    messages: positiveInt("messages", values.messages, 5_000_000),
    // Above 100 some rules would never match (ids are i % 100): the fan-out would be uneven.
    rules: values.rules!.split(",").filter((s) => s.trim()).map((r) =>
      positiveInt("rules", r, 100)
    ),
    s1: !values["no-s1"],
    runs: positiveInt("runs", values.runs, 20),
    timeoutS: positiveInt("timeout", values.timeout, 3600),
    v8Flags: values["v8-flags"]!,
    weirLog: values["weir-log"],
  };
}

/** One Weir configuration: a stream and its rules. */
interface Config {
  name: string;
  shared: boolean;
  rules: { id: string; sql: string }[];
  /** Results each rule must produce from the workload. */
  expectedPerRule: number[];
  /** The warm-up id that rule k answers to. */
  warmupId(k: number): number;
}

function s1Config(w: Workload): Config {
  return {
    name: "S1 (1 rule)",
    shared: false,
    rules: [{ id: "s1", sql: S1_SQL }],
    expectedPerRule: [w.expected],
    warmupId: () => -1,
  };
}

function s3Config(w: Workload, r: number): Config {
  const expectedPerRule = new Array<number>(r).fill(0);
  for (let i = 0; i < w.n; i++) {
    if (w.temperature[i] > 30) expectedPerRule[(i % 100) % r]++;
  }
  return {
    name: `S3 (${r} rules, shared)`,
    shared: true,
    rules: Array.from({ length: r }, (_, k) => ({
      id: `s3_${r}_${k}`,
      sql: s3RuleSql(r, k),
    })),
    expectedPerRule,
    warmupId: (k) => r * 1000 + k,
  };
}

interface ConfigResult {
  name: string;
  rules: number;
  shared: boolean;
  ruleCreateSeconds: number;
  sent: number;
  expected: number;
  received: number;
  loss: number;
  ending: string;
  publishSeconds: number;
  windowSeconds: number;
  /** sent ÷ (first send → last result) */
  throughput: number;
  resultsRate: number;
  /** Rule counters summed over every rule (deltas over the measured window). */
  sums: {
    sourceIn: number;
    sourceDrops: number;
    decoderIn: number;
    filterOut: number;
    sinkOut: number;
    sinkErrors: number;
  };
  /** Rules whose sink output differs from the results they must produce. */
  rulesOff: { id: string; expected: number; sinkOut: number }[];
  weirCpu: CpuUsage;
  mosquittoCpu: CpuUsage;
  benchCpu: CpuUsage;
  rssIdleKb: number;
  rssPeakKb: number;
  vmHwmKb: number;
  /** CPU of processes this benchmark does not own, over the run (100 = one core): contention. */
  otherCpuPercent: number;
  /** mosquitto's read and write system calls per 1,000 messages sent, over the flood
   * (/proc/<pid>/io; Deno's socket calls are not counted there). */
  mosquittoSyscallsPer1k: Syscalls;
}

function syscallRate(before: Syscalls, after: Syscalls, messages: number): Syscalls {
  return {
    reads: (after.reads - before.reads) * 1000 / messages,
    writes: (after.writes - before.writes) * 1000 / messages,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Tracks which warm-up ids came back (rows of any shape: object or array of objects). */
function warmupTracker(ids: Set<number>) {
  const seen = new Set<number>();
  const onMessage = (_topic: string, body: Uint8Array) => {
    try {
      const v = JSON.parse(new TextDecoder().decode(body));
      for (const row of Array.isArray(v) ? v : [v]) if (ids.has(row?.id)) seen.add(row.id);
    } catch { /* not ours */ }
  };
  return { seen, onMessage };
}

async function statuses(
  weir: { request(m: string, p: string): Promise<unknown> },
  c: Config,
): Promise<Status[]> {
  const out: Status[] = [];
  for (const r of c.rules) out.push(await weir.request("GET", `/rules/${r.id}/status`) as Status);
  return out;
}

async function runConfig(
  mosq: Mosquitto,
  cleanup: Cleanup,
  w: Workload,
  c: Config,
  index: number,
  deadlineAt: number,
  o: Options,
): Promise<ConfigResult> {
  const v8 = o.v8Flags ? [`--v8-flags=${o.v8Flags}`] : [];
  // With --weir-log, all of Weir's output (a V8 trace can be long); else its last lines.
  const weir = await startWeir(cleanup, mosq.url, v8, 50, undefined, o.weirLog ? 1e7 : 200);
  let sub: BenchClient | undefined;
  let pub: BenchClient | undefined;
  const sampler = new ProcSampler([weir.pid, mosq.pid, Deno.pid]);
  try {
    const cmd = commandLine(weir.pid);
    if (!cmd.includes("main.ts") || childPids(weir.pid).length > 0) {
      throw new Error(`pid ${weir.pid} is not the Weir process: ${cmd}`);
    }
    await weir.request("POST", "/streams", { sql: streamSql(c.shared) });
    const t0 = performance.now();
    for (const r of c.rules) {
      await weir.request("POST", "/rules", {
        id: r.id,
        sql: r.sql,
        actions: [{ mqtt: { server: mosq.url, topic: OUT, qos: 0 } }],
      });
    }
    const ruleCreateSeconds = (performance.now() - t0) / 1000;

    const counter = new Counter(false);
    sub = await subscribe(mosq.url, `bench-s3-sub-${index}`, OUT, counter);
    pub = await connect(mosq.url, `bench-s3-pub-${index}`);

    const ids = new Set(c.rules.map((_, k) => c.warmupId(k)));
    const warm = warmupTracker(ids);
    sub.on("message", warm.onMessage);
    const warmUntil = performance.now() + 30_000;
    while (warm.seen.size < ids.size) {
      if (performance.now() > warmUntil) {
        throw new Error(
          `warm-up: ${warm.seen.size}/${ids.size} rules answered in 30 s:\n` +
            weir.log.slice(-20).join("\n"),
        );
      }
      for (const id of ids) {
        if (warm.seen.has(id)) continue;
        pub.publish(
          IN,
          `{"id":${id},"temperature":99,"humidity":50,"ts":${Math.round(epochMs())}}`,
          { qos: 0 },
        );
      }
      await sleep(200);
    }
    sub.off("message", warm.onMessage);
    await counter.quiet(500, 5000);
    await weir.settled();
    const before = await statuses(weir, c);
    const notRunning = before.filter((s) => s.status !== "running");
    if (notRunning.length) {
      throw new Error(`${notRunning.length} rules not running: ${JSON.stringify(notRunning[0])}`);
    }
    const rssIdleKb = statusKb(weir.pid, "VmRSS");
    counter.reset();

    const expected = c.expectedPerRule.reduce((a, b) => a + b, 0);
    const other = new OtherCpu([weir.pid, mosq.pid, Deno.pid]);
    const mosquittoCalls = syscalls(mosq.pid);
    sampler.start();
    const published = publishFlood(pub, IN, w);
    const capMs = Math.max(1000, Math.min(PHASE_CAP_MS, deadlineAt - performance.now()));
    const ending = await counter.waitFor(expected, published, IDLE_MS, capMs);
    const p = await published;
    await sleep(2 * sampler.intervalMs);
    sampler.stop();
    const mosquittoSyscallsPer1k = syscallRate(mosquittoCalls, syscalls(mosq.pid), w.n);
    const otherCpuPercent = other.percent();
    const after = await statuses(weir, c);
    const vmHwmKb = statusKb(weir.pid, "VmHWM");
    const lastAt = counter.received > 0 ? counter.lastAt : p.endAt;
    const end = Math.max(p.endAt, lastAt);
    const windowSeconds = (lastAt - p.startAt) / 1000;
    const cpu = (i: number) => sampler.usage(i, p.startAt, end, w.n);
    const sinkOut = /^sink_mqtt_0_0_records_out_total$/;
    const rulesOff = c.rules.map((r, k) => ({
      id: r.id,
      expected: c.expectedPerRule[k],
      sinkOut: counterDelta(before[k], after[k], sinkOut),
    })).filter((x) => x.sinkOut !== x.expected);
    return {
      name: c.name,
      rules: c.rules.length,
      shared: c.shared,
      ruleCreateSeconds,
      sent: w.n,
      expected,
      received: counter.received,
      loss: expected - counter.received,
      ending,
      publishSeconds: (p.endAt - p.startAt) / 1000,
      windowSeconds,
      throughput: w.n / windowSeconds,
      resultsRate: counter.received / windowSeconds,
      sums: {
        sourceIn: summedDelta(before, after, /^source_s_0_records_in_total$/),
        sourceDrops: summedDelta(before, after, /^source_s_0_exceptions_total$/),
        decoderIn: summedDelta(before, after, /^op_\d+_decoder_0_records_in_total$/),
        filterOut: summedDelta(before, after, /^op_\d+_filter_0_records_out_total$/),
        sinkOut: summedDelta(before, after, sinkOut),
        sinkErrors: summedDelta(before, after, /^sink_mqtt_0_0_exceptions_total$/),
      },
      rulesOff,
      weirCpu: cpu(0),
      mosquittoCpu: cpu(1),
      benchCpu: cpu(2),
      rssIdleKb,
      rssPeakKb: sampler.peakRssKb(0),
      vmHwmKb,
      otherCpuPercent,
      mosquittoSyscallsPer1k,
    };
  } catch (e) {
    console.error(`weir log (last lines):\n${weir.log.slice(-30).join("\n")}`);
    throw e;
  } finally {
    sampler.stop();
    await pub?.endAsync(true);
    await sub?.endAsync(true);
    await weir.stop();
    if (o.weirLog) {
      mkdirSync(o.weirLog, { recursive: true });
      writeFileSync(
        join(o.weirLog, `s3-${index + 1}-${c.rules.length}-rules.log`),
        weir.log.join("\n") + "\n",
      );
    }
  }
}

interface RatiosToS1 {
  throughput: number;
  cpu: number;
}

/**
 * Per configuration, its ratios to S1 in each round, then their median (not a ratio of
 * medians); undefined without an S1 run (`--no-s1`). A round's S1 reference is the mean of its
 * own S1 phase and the next one (the next round's, or the closing S1 after the last round):
 * the machine's speed drifts from phase to phase, and an S3 phase lies between the two.
 */
function ratiosToS1(
  rounds: ConfigResult[][],
  closingS1: ConfigResult | undefined,
): RatiosToS1[] | undefined {
  if (rounds[0][0].shared) return undefined;
  /** Round k's S1 figure `f`: the mean over its S1 phase and the next. */
  const s1 = (k: number, f: (r: ConfigResult) => number) => {
    const next = rounds[k + 1]?.[0] ?? closingS1;
    return next === undefined ? f(rounds[k][0]) : (f(rounds[k][0]) + f(next)) / 2;
  };
  const throughput = (r: ConfigResult) => r.throughput;
  const cpu = (r: ConfigResult) => r.weirCpu.usPerMessage;
  return rounds[0].map((_, i) => ({
    throughput: median(rounds.map((r, k) => throughput(r[i]) / s1(k, throughput))),
    cpu: median(rounds.map((r, k) => cpu(r[i]) / s1(k, cpu))),
  }));
}

function rows(results: ConfigResult[], ratios: RatiosToS1[] | undefined): string[][] {
  const col = (f: (r: ConfigResult) => string) => results.map(f);
  return [
    ["rules on the stream", ...col((r) => `${r.rules}${r.shared ? " (SHARED)" : ""}`)],
    ["rule creation (REST, sequential), s", ...col((r) => fixed(r.ruleCreateSeconds, 2))],
    ["messages sent", ...col((r) => int(r.sent))],
    ["results expected / received", ...col((r) => `${int(r.expected)} / ${int(r.received)}`)],
    ["loss (expected − received)", ...col((r) => int(r.loss))],
    ["publish time (all sent), s", ...col((r) => fixed(r.publishSeconds, 3))],
    ["first send → last result, s", ...col((r) => fixed(r.windowSeconds, 3))],
    ["end-to-end, msgs sent/s", ...col((r) => int(r.throughput))],
    [
      "throughput ÷ S1's",
      ...results.map((_, i) => ratios ? fixed(ratios[i].throughput, 2) : "–"),
    ],
    ["results/s", ...col((r) => int(r.resultsRate))],
    ["Σ rules: source records in", ...col((r) => int(r.sums.sourceIn))],
    ["Σ rules: source buffer drops", ...col((r) => int(r.sums.sourceDrops))],
    ["Σ rules: decoder records in", ...col((r) => int(r.sums.decoderIn))],
    [
      "Σ rules: filter out / sink out",
      ...col((r) => `${int(r.sums.filterOut)} / ${int(r.sums.sinkOut)}`),
    ],
    ["Σ rules: sink errors", ...col((r) => int(r.sums.sinkErrors))],
    ["rules whose output ≠ expected", ...col((r) => int(r.rulesOff.length))],
    ["weir CPU % (100 = one core)", ...col((r) => fixed(r.weirCpu.percent))],
    ["weir CPU µs per message sent", ...col((r) => fixed(r.weirCpu.usPerMessage, 2))],
    [
      "weir CPU µs per message ÷ S1's",
      ...results.map((_, i) => ratios ? fixed(ratios[i].cpu, 2) : "–"),
    ],
    ["weir RSS idle / peak", ...col((r) => `${mib(r.rssIdleKb)} / ${mib(r.rssPeakKb)}`)],
    ["weir VmHWM at end", ...col((r) => mib(r.vmHwmKb))],
    ["mosquitto CPU %", ...col((r) => fixed(r.mosquittoCpu.percent))],
    ["mosquitto CPU µs per message sent", ...col((r) => fixed(r.mosquittoCpu.usPerMessage, 2))],
    [
      "syscalls per 1,000 msgs: mosquitto reads / writes",
      ...col((r) => {
        const c = r.mosquittoSyscallsPer1k;
        return `${fixed(c.reads)} / ${fixed(c.writes)}`;
      }),
    ],
    ["bench process CPU % (pub + sub)", ...col((r) => fixed(r.benchCpu.percent))],
    ["other processes' CPU % (contention)", ...col((r) => fixed(r.otherCpuPercent))],
    ["phase ended by", ...col((r) => r.ending)],
  ];
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`s3: ${(e as Error).message}`);
    return 2;
  }
  const deadlineAt = performance.now() + o.timeoutS * 1000 - 10_000;
  return await runBenchmark("s3", o.timeoutS, async ({ cleanup, startMosquitto }) => {
    const date = new Date().toISOString().slice(0, 10);
    const env = {
      machine: machine(),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      mosquitto: mosquittoVersion(),
    };
    const w = makeWorkload(o.messages);
    const configs = [
      ...(o.s1 ? [s1Config(w)] : []),
      ...o.rules.map((r) => s3Config(w, r)),
    ];
    console.log(
      `S3 ${date}: ${int(o.messages)} messages, flood; ${configs.map((c) => c.name).join(", ")}\n` +
        `machine: ${env.machine.nproc} × ${env.machine.cpuModel}, ` +
        `${int(env.machine.memTotalMiB)} MiB; deno ${env.deno}; mosquitto ${env.mosquitto}`,
    );
    const mosq = await startMosquitto();
    /** rounds[k][i]: configuration i in round k. */
    const rounds: ConfigResult[][] = [];
    for (let k = 0; k < o.runs; k++) {
      const round: ConfigResult[] = [];
      for (const [i, c] of configs.entries()) {
        console.log(`${o.runs > 1 ? `round ${k + 1}/${o.runs}: ` : ""}${c.name}…`);
        round.push(await runConfig(mosq, cleanup, w, c, k * configs.length + i, deadlineAt, o));
      }
      rounds.push(round);
    }
    // The S1 phase that closes the last round (see ratiosToS1).
    let closingS1: ConfigResult | undefined;
    if (o.s1) {
      console.log("closing S1…");
      closingS1 = await runConfig(
        mosq,
        cleanup,
        w,
        configs[0],
        o.runs * configs.length,
        deadlineAt,
        o,
      );
    }
    const results = configs.map((_, i) => medianOf(rounds.map((r) => r[i])));
    const ratios = ratiosToS1(rounds, closingS1);
    const phases = closingS1 ? [...rounds.flat(), closingS1] : rounds.flat();

    const header = ["S3", ...results.map((r) => r.name)];
    if (rounds.length > 1) {
      for (const [k, r] of rounds.entries()) {
        const next = rounds[k + 1]?.[0] ?? closingS1;
        const bracket = ratiosToS1([r], next);
        console.log(`\nround ${k + 1}\n` + textTable(header, rows(r, bracket)));
      }
      console.log(
        `\nmedian of ${rounds.length} rounds (ratios to S1 within each round, S1 bracketing)`,
      );
    }
    console.log("\n" + textTable(header, rows(results, ratios)));
    if (closingS1) {
      console.log(
        `\nclosing S1: ${int(closingS1.throughput)} msgs/s, Weir ` +
          `${fixed(closingS1.weirCpu.usPerMessage, 2)} µs per message, loss ${closingS1.loss}`,
      );
    }
    for (const r of phases) {
      if (r.rulesOff.length) {
        console.log(
          `${r.name}: rules off: ` +
            r.rulesOff.slice(0, 10).map((x) => `${x.id} ${x.sinkOut}/${x.expected}`).join(", "),
        );
      }
    }

    const command = ["deno task bench:s3", ...Deno.args].join(" ");
    const result = {
      bench: "s3",
      date,
      command,
      options: o,
      ...env,
      workload: {
        messages: w.n,
        inTopic: IN,
        outTopic: OUT,
        qos: 0,
        configs: configs.map((c) => ({
          name: c.name,
          stream: streamSql(c.shared),
          rules: c.rules.length,
          ruleSqlExample: c.rules[c.rules.length - 1].sql,
          expectedPerRule: c.expectedPerRule,
        })),
      },
      results,
      ...(rounds.length > 1 ? { rounds } : {}),
      ...(ratios ? { ratios } : {}),
      ...(closingS1 ? { closingS1 } : {}),
    };
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const suffix = (o.messages !== 200_000 ? `-n${o.messages}` : "") +
      (o.runs > 1 ? `-x${o.runs}` : "") +
      (o.rules.join(",") !== "10,100" ? `-r${o.rules.join("_")}` : "");
    const file = join(dir, `s3-${date}${suffix}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwrote ${file.slice(ROOT.length + 1)}`);
    console.log(
      `\nMarkdown for bench/RESULTS.md:\n\n\`${command}\` — ${int(w.n)} messages, flood; ` +
        `rule k of R: \`${s3RuleSql("R", "k")}\` ` +
        `on a SHARED stream${rounds.length > 1 ? `; median of ${rounds.length} rounds` : ""}\n\n` +
        markdownTable(header, rows(results, ratios).filter((r) => r[0] !== "phase ended by")),
    );
    return phases.every((r) => r.loss === 0 && r.rulesOff.length === 0) ? 0 : 1;
  });
}

if (import.meta.main) Deno.exit(await main());
