/**
 * S4: footprint. (a) start-to-ready time and idle RSS; (b) many idle rules in one process.
 *
 *   deno task bench:s4                          # 1,000 idle rules over MQTT, 5 starts
 *   deno task bench:s4 --rules 10000
 *   deno task bench:s4 --rules 10000 --source memory
 *
 * Flags: --rules N (1000), --source mqtt|memory (mqtt), --starts K (5), --status-calls C (200),
 * --create-timeout S (stop creating rules after S seconds, 240), --max-rss-mib M (stop creating
 * rules once Weir's RSS passes M MiB, 4096), --timeout S (hard limit for the whole benchmark,
 * 300), --no-heap (do not start (b)'s Weir with `--inspect`; by default the V8 heap is read over
 * the inspector after a forced full GC, with no rules and with all of them: the live JS memory
 * per rule, apart from what RSS also holds), --buffer-length B (the rules' `bufferLength`
 * option; Weir's default 1024 preallocates each rule's source ring).
 *
 * (a) K times each: spawn `deno run -A main.ts serve`, then the same for the bundle the Deno
 *     binary embeds (src/build/bundle.ts) and for the Bun binary (`deno task build`, built
 *     for this machine into a temp folder), with a fresh home (embedded broker off) and
 *     poll GET /ping every 2 ms; start-to-ready is spawn → first 200. VmRSS is read 2 s later.
 *     The first start may include Deno's module transpile cache filling: it is reported apart.
 *     Run as root, each program is then started K more times with the kernel's page cache
 *     dropped before each start, as after a boot: how many of an executable's pages a start
 *     maps depends on how they sit in the page cache (a file just written, as by a build or a
 *     copy, is cached in large folios that the kernel maps whole: the Bun binary shows ~5 MiB
 *     more RSS then).
 * (b) A fresh Weir, idle RSS after 2 s; stream `s` (MQTT topic `bench/idle` on a private
 *     mosquitto, or a memory topic) and N rules `SELECT * FROM s WHERE id = k` with a `nop`
 *     action, created one after the other through POST /rules (as a user's script would).
 *     Reported: total creation time and per-1,000 slices (does creation slow down as rules
 *     accumulate?), every rule running (GET /rules), RSS 2 s after the last creation and
 *     (RSS − idle RSS) ÷ N, Weir CPU while idle with N rules, and C sequential
 *     GET /rules/{id}/status calls on rules spread over the whole range: p50 / p99 / max.
 *     With MQTT one probe message `{"id":k}` checks that the rules really receive (rule k's sink
 *     counts it, and another rule's source saw it too).
 * The CPU of processes the benchmark does not own during creation is reported (contention).
 * Creation stops early, and says so, on the time or RSS limit, on Weir exiting, or after 20
 * errors in a row; the figures are then those of the rules that exist.
 *
 * Prints Markdown tables, writes bench/results/s4-*.json.
 *
 * @module
 */
import { positiveInt } from "./lib/args.ts";
import { dropPageCache } from "../src/build/footprint.ts";
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  bunBinaryWeir,
  bundleWeir,
  type Cleanup,
  type Mosquitto,
  mosquittoVersion,
  ROOT,
  runBenchmark,
  startWeir,
  type WeirChild,
} from "./lib/procs.ts";
import { cpuSeconds, machineBusySeconds, ProcSampler, statusKb } from "./lib/proc_stats.ts";
import { connect, percentile } from "./lib/load.ts";
import { fixed, int, machine, markdownTable, median, mib, textTable } from "./lib/report.ts";
import { counterKey, type Status } from "./lib/rule_status.ts";
import { type HeapUsage, INSPECT_ARGS, Inspector, inspectorUrl } from "./lib/inspector.ts";

const TOPIC = "bench/idle";
/** RSS is read this long after the process became ready / the last rule was created. */
const SETTLE_MS = 2000;
const IDLE_CPU_MS = 5000;

interface Options {
  rules: number;
  source: "mqtt" | "memory";
  starts: number;
  statusCalls: number;
  createTimeoutS: number;
  maxRssMiB: number;
  timeoutS: number;
  /** Start (b)'s Weir with the inspector to read the V8 heap after a forced GC. */
  heap: boolean;
  /** The rules' `bufferLength` option (Weir's default: 1024), when given. */
  bufferLength?: number;
}

function options(): Options {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      rules: { type: "string", default: "1000" },
      source: { type: "string", default: "mqtt" },
      starts: { type: "string", default: "5" },
      "status-calls": { type: "string", default: "200" },
      "create-timeout": { type: "string", default: "240" },
      "max-rss-mib": { type: "string", default: "4096" },
      timeout: { type: "string", default: "300" },
      "no-heap": { type: "boolean", default: false },
      "buffer-length": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "deno task bench:s4 [--rules N] [--source mqtt|memory] [--starts K] [--status-calls C] " +
        "[--create-timeout S] [--max-rss-mib M] [--timeout S] [--no-heap] [--buffer-length B]",
    );
    Deno.exit(0);
  }
  if (values.source !== "mqtt" && values.source !== "memory") {
    throw new Error(`--source must be mqtt or memory, got ${values.source}`);
  }
  return {
    rules: positiveInt("rules", values.rules, 1_000_000),
    source: values.source,
    starts: positiveInt("starts", values.starts, 50),
    statusCalls: positiveInt("status-calls", values["status-calls"], 100_000),
    createTimeoutS: positiveInt("create-timeout", values["create-timeout"], 3600),
    maxRssMiB: positiveInt("max-rss-mib", values["max-rss-mib"], 20_000),
    timeoutS: positiveInt("timeout", values.timeout, 3600),
    heap: !values["no-heap"],
    bufferLength: values["buffer-length"] === undefined
      ? undefined
      : positiveInt("buffer-length", values["buffer-length"], 1_000_000),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StartResult {
  readyMs: number;
  rssAfter2sKb: number;
  /** VmRSS split: anonymous memory (heaps) vs file-backed pages (the deno binary, libraries). */
  rssAnonKb: number;
  rssFileKb: number;
}

/** One program's starts: as they come (page cache warm), and with it dropped (root only). */
interface StartSeries {
  warm: StartResult[];
  cold: StartResult[];
}

interface Latencies {
  calls: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latencies(v: number[]): Latencies {
  const s = [...v].sort((a, b) => a - b);
  return {
    calls: s.length,
    p50Ms: percentile(s, 50),
    p90Ms: percentile(s, 90),
    p99Ms: percentile(s, 99),
    maxMs: s.length ? s[s.length - 1] : NaN,
  };
}

interface RulesResult {
  source: string;
  requested: number;
  created: number;
  stoppedBecause: string;
  errors: number;
  firstErrors: string[];
  createSeconds: number;
  /** Seconds each consecutive slice of `sliceSize` creations took. */
  sliceSize: number;
  sliceSeconds: number[];
  createLatency: Latencies;
  weirCpuDuringCreateSeconds: number;
  /** CPU of processes this benchmark does not own during creation (100 = one core). */
  otherCpuDuringCreatePercent: number;
  running: number;
  statusCounts: Record<string, number>;
  listMs: number;
  rssIdleKb: number;
  rssAfterKb: number;
  rssPeakDuringCreateKb: number;
  vmHwmKb: number;
  perRuleKb: number;
  idleCpuPercent: number;
  probe?: { ok: boolean; ms: number; detail: string };
  statusLatency: Latencies;
  homeDiskKb: number;
  /** V8 heap after a forced full GC (inspector), with no rules and with all of them. */
  heapIdle?: HeapUsage;
  heapAfter?: HeapUsage;
  heapPerRuleKb: number;
  rssAnonAfterKb: number;
  rssFileAfterKb: number;
  rssAfterGcKb: number;
  heapError?: string;
  stopSeconds: number;
}

/** A zombie or a vanished pid has no VmRSS line (or no /proc entry). */
function alive(pid: number): boolean {
  try {
    return Number.isFinite(statusKb(pid, "VmRSS"));
  } catch {
    return false;
  }
}

function duKb(path: string): number {
  try {
    const out = new Deno.Command("du", { args: ["-sk", path], stdout: "piped" }).outputSync();
    return Number(new TextDecoder().decode(out.stdout).split("\t")[0]);
  } catch {
    return NaN;
  }
}

async function startToReady(
  cleanup: Cleanup,
  brokerUrl: string,
  starts: number,
  program?: string,
): Promise<StartSeries> {
  return {
    warm: await startSeries(cleanup, brokerUrl, starts, program, false),
    cold: dropPageCache() ? await startSeries(cleanup, brokerUrl, starts, program, true) : [],
  };
}

async function startSeries(
  cleanup: Cleanup,
  brokerUrl: string,
  starts: number,
  program: string | undefined,
  cold: boolean,
): Promise<StartResult[]> {
  const out: StartResult[] = [];
  for (let i = 0; i < starts; i++) {
    if (cold) dropPageCache();
    const weir = await startWeir(cleanup, brokerUrl, [], 2, program);
    try {
      const readyMs = weir.readyAt - weir.spawnedAt;
      await sleep(SETTLE_MS);
      out.push({
        readyMs,
        rssAfter2sKb: statusKb(weir.pid, "VmRSS"),
        rssAnonKb: statusKb(weir.pid, "RssAnon"),
        rssFileKb: statusKb(weir.pid, "RssFile"),
      });
    } finally {
      await weir.stop();
    }
  }
  return out;
}

function streamSql(source: Options["source"]): string {
  return `CREATE STREAM s () WITH (DATASOURCE="${TOPIC}", FORMAT="json"` +
    (source === "memory" ? ', TYPE="memory")' : ")");
}

function ruleId(k: number): string {
  return `idle_${k}`;
}

/** Rule ids spread over the whole range, deterministic. */
function sampleIds(created: number, calls: number): string[] {
  return Array.from({ length: calls }, (_, i) => ruleId((i * 7919) % created));
}

async function probe(
  weir: WeirChild,
  mosq: Mosquitto,
  created: number,
): Promise<{ ok: boolean; ms: number; detail: string }> {
  const k = Math.floor(created / 2);
  const other = created > 1 ? ruleId(created - 1 === k ? 0 : created - 1) : ruleId(k);
  const pub = await connect(mosq.url, "bench-s4-probe");
  try {
    const t0 = performance.now();
    pub.publish(TOPIC, `{"id":${k},"temperature":50}`, { qos: 0 });
    await pub.drain();
    const until = t0 + 20_000;
    for (;;) {
      const s = await weir.request("GET", `/rules/${ruleId(k)}/status`) as Status;
      const key = counterKey(s, /^sink_nop_0_0_records_in_total$/);
      if (key && s[key] === 1) {
        const ms = performance.now() - t0;
        const o = await weir.request("GET", `/rules/${other}/status`) as Status;
        const inKey = counterKey(o, /^source_s_0_records_in_total$/);
        const outKey = counterKey(o, /^sink_nop_0_0_records_in_total$/);
        const seen = inKey ? o[inKey] : undefined;
        const emitted = outKey ? o[outKey] : undefined;
        return {
          ok: seen === 1 && emitted === 0,
          ms,
          detail: `rule ${
            ruleId(k)
          } sink in 1; rule ${other} source in ${seen}, sink in ${emitted}`,
        };
      }
      if (performance.now() > until) {
        return { ok: false, ms: NaN, detail: `rule ${ruleId(k)} never saw the probe: ${key}` };
      }
      await sleep(20);
    }
  } finally {
    await pub.endAsync(true);
  }
}

async function idleRules(
  cleanup: Cleanup,
  mosq: Mosquitto | undefined,
  brokerUrl: string,
  o: Options,
): Promise<RulesResult> {
  const weir = await startWeir(cleanup, brokerUrl, o.heap ? INSPECT_ARGS : []);
  let insp: Inspector | undefined;
  let heapError: string | undefined;
  const heap = async (): Promise<HeapUsage | undefined> => {
    if (!o.heap || heapError) return undefined;
    try {
      const url = inspectorUrl(weir.log);
      if (!url) throw new Error("no inspector URL in the log");
      insp ??= await Inspector.connect(url);
      return await insp.heapAfterGc();
    } catch (e) {
      heapError = (e as Error).message;
      return undefined;
    }
  };
  let exited = false;
  const sampler = new ProcSampler([weir.pid], 250);
  let stopSampling = () => {};
  try {
    await sleep(SETTLE_MS);
    const rssIdleKb = statusKb(weir.pid, "VmRSS");
    const heapIdle = await heap();
    await weir.request("POST", "/streams", { sql: streamSql(o.source) });

    const sliceSize = Math.max(100, Math.min(1000, Math.floor(o.rules / 10)));
    const sliceSeconds: number[] = [];
    const createMs: number[] = [];
    const firstErrors: string[] = [];
    let errors = 0;
    let errorsInARow = 0;
    let created = 0;
    let stoppedBecause = "all created";
    const cpu0 = cpuSeconds(weir.pid);
    const pids = [weir.pid, Deno.pid, ...(mosq ? [mosq.pid] : [])];
    const ours = () => pids.reduce((a, pid) => a + cpuSeconds(pid), 0);
    const busy0 = machineBusySeconds();
    const ours0 = ours();
    sampler.start();
    let sampling = true;
    stopSampling = () => {
      if (sampling) sampler.stop();
      sampling = false;
    };
    const t0 = performance.now();
    let sliceAt = t0;
    const limitAt = t0 + o.createTimeoutS * 1000;
    for (let k = 0; k < o.rules; k++) {
      const a = performance.now();
      try {
        await weir.request("POST", "/rules", {
          id: ruleId(k),
          sql: `SELECT * FROM s WHERE id = ${k}`,
          actions: [{ nop: {} }],
          ...(o.bufferLength ? { options: { bufferLength: o.bufferLength } } : {}),
        });
        created++;
        errorsInARow = 0;
      } catch (e) {
        errors++;
        errorsInARow++;
        if (firstErrors.length < 5) firstErrors.push(`rule ${k}: ${(e as Error).message}`);
      }
      const b = performance.now();
      createMs.push(b - a);
      if ((k + 1) % sliceSize === 0) {
        sliceSeconds.push((b - sliceAt) / 1000);
        sliceAt = b;
        const rss = statusKb(weir.pid, "VmRSS");
        console.log(
          `  ${int(k + 1)} rules: ${fixed((b - t0) / 1000, 1)} s, RSS ${mib(rss)}` +
            (errors ? `, ${errors} errors` : ""),
        );
        if (rss / 1024 > o.maxRssMiB) {
          stoppedBecause = `RSS over ${o.maxRssMiB} MiB after ${k + 1}`;
          break;
        }
      }
      if (b > limitAt && k + 1 < o.rules) {
        stoppedBecause = `creation time limit (${o.createTimeoutS} s) after ${k + 1}`;
        break;
      }
      if (errorsInARow >= 20) {
        stoppedBecause = `20 errors in a row after ${k + 1}`;
        break;
      }
      if (!alive(weir.pid)) {
        exited = true;
        stoppedBecause = `weir exited after ${k + 1}`;
        break;
      }
    }
    const createSeconds = (performance.now() - t0) / 1000;
    stopSampling();
    const weirCpuDuringCreateSeconds = cpuSeconds(weir.pid) - cpu0;
    const otherCpuDuringCreatePercent = 100 * ((machineBusySeconds() - busy0) - (ours() - ours0)) /
      createSeconds;

    const l0 = performance.now();
    const list = await weir.request("GET", "/rules") as { status: string }[];
    const listMs = performance.now() - l0;
    const statusCounts: Record<string, number> = {};
    for (const r of list) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;

    await sleep(SETTLE_MS);
    const rssAfterKb = statusKb(weir.pid, "VmRSS");
    const c0 = cpuSeconds(weir.pid);
    const i0 = performance.now();
    await sleep(IDLE_CPU_MS);
    const idleCpuPercent = 100 * (cpuSeconds(weir.pid) - c0) / ((performance.now() - i0) / 1000);

    const statusMs: number[] = [];
    for (const id of sampleIds(Math.max(1, created), o.statusCalls)) {
      const a = performance.now();
      await weir.request("GET", `/rules/${id}/status`);
      statusMs.push(performance.now() - a);
    }
    const p = mosq && created > 0 ? await probe(weir, mosq, created) : undefined;
    const vmHwmKb = statusKb(weir.pid, "VmHWM");
    const rssAnonAfterKb = statusKb(weir.pid, "RssAnon");
    const rssFileAfterKb = statusKb(weir.pid, "RssFile");
    const heapAfter = await heap();
    const rssAfterGcKb = statusKb(weir.pid, "VmRSS");
    insp?.close();
    const homeDiskKb = duKb(weir.home);
    const s0 = performance.now();
    await weir.stop();
    const stopSeconds = (performance.now() - s0) / 1000;
    return {
      source: o.source,
      requested: o.rules,
      created,
      stoppedBecause,
      errors,
      firstErrors,
      createSeconds,
      sliceSize,
      sliceSeconds,
      createLatency: latencies(createMs),
      weirCpuDuringCreateSeconds,
      otherCpuDuringCreatePercent,
      running: statusCounts["running"] ?? 0,
      statusCounts,
      listMs,
      rssIdleKb,
      rssAfterKb,
      rssPeakDuringCreateKb: sampler.peakRssKb(0),
      vmHwmKb,
      perRuleKb: created ? (rssAfterKb - rssIdleKb) / created : NaN,
      heapIdle,
      heapAfter,
      heapPerRuleKb: heapIdle && heapAfter && created
        ? (heapAfter.usedKb - heapIdle.usedKb) / created
        : NaN,
      rssAnonAfterKb,
      rssFileAfterKb,
      rssAfterGcKb,
      heapError,
      idleCpuPercent,
      probe: p,
      statusLatency: latencies(statusMs),
      homeDiskKb,
      stopSeconds,
    };
  } catch (e) {
    console.error(`weir log (last lines):\n${weir.log.slice(-30).join("\n")}`);
    throw e;
  } finally {
    try {
      stopSampling();
    } catch { /* weir gone */ }
    if (!exited) await weir.stop();
  }
}

/** One row per figure, one column per program (each a series of starts). */
function startRows(...programs: StartSeries[]): string[][] {
  const ms = (xs: StartResult[]) => xs.map((x) => x.readyMs);
  const later = (s: StartResult[]) => (s.length > 1 ? s.slice(1) : s);
  const row = (label: string, f: (s: StartSeries) => string) => [label, ...programs.map(f)];
  const range = (xs: number[]) =>
    `${fixed(median(xs), 0)} ms [${fixed(Math.min(...xs), 0)}–${fixed(Math.max(...xs), 0)}]`;
  const rss = (s: StartResult[]) =>
    s.length === 0 ? "– (not root)" : mib(median(s.map((x) => x.rssAfter2sKb)));
  const split = (s: StartResult[]) =>
    s.length === 0
      ? "–"
      : `${mib(median(s.map((x) => x.rssAnonKb)))} / ${mib(median(s.map((x) => x.rssFileKb)))}`;
  return [
    row("starts (warm + page cache dropped)", (s) => `${s.warm.length} + ${s.cold.length}`),
    row("spawn → first GET /ping 200, first start", (s) => `${fixed(s.warm[0].readyMs, 0)} ms`),
    row(
      "spawn → first GET /ping 200, later starts: median [min–max]",
      (s) => range(ms(later(s.warm))),
    ),
    row("VmRSS 2 s after ready, median", (s) => rss(s.warm)),
    row("of which anonymous / file-backed, median", (s) => split(s.warm)),
    row(
      "spawn → ready, page cache dropped: median [min–max]",
      (s) => s.cold.length ? range(ms(s.cold)) : "–",
    ),
    row("VmRSS 2 s after ready, page cache dropped (as after a boot), median", (s) => rss(s.cold)),
    row("of which anonymous / file-backed, median", (s) => split(s.cold)),
  ];
}

function ruleRows(r: RulesResult): string[][] {
  const lat = (l: Latencies) =>
    `${fixed(l.p50Ms, 2)} / ${fixed(l.p99Ms, 2)} / ${fixed(l.maxMs, 1)} ms`;
  const slices = r.sliceSeconds.map((s) => fixed(s, 1)).join(", ");
  return [
    ["source", r.source === "mqtt" ? "MQTT (private mosquitto), non-shared" : "memory"],
    ["inspector attached (for the heap rows; adds ~15 MiB RSS)", r.heapIdle ? "yes" : "no"],
    ["rules requested / created", `${int(r.requested)} / ${int(r.created)}`],
    ["creation stopped", r.stoppedBecause],
    ["creation errors", int(r.errors)],
    ["creation time (sequential POST /rules)", `${fixed(r.createSeconds, 2)} s`],
    [`creation time per ${int(r.sliceSize)} rules, in order`, `${slices} s`],
    ["POST /rules latency p50 / p99 / max", lat(r.createLatency)],
    ["weir CPU during creation", `${fixed(r.weirCpuDuringCreateSeconds, 2)} s`],
    [
      "other processes' CPU during creation (contention)",
      `${fixed(r.otherCpuDuringCreatePercent, 1)} %`,
    ],
    [
      "rules running (GET /rules)",
      `${int(r.running)} (${
        Object.entries(r.statusCounts).map(([k, v]) => `${k} ${v}`).join(", ")
      })`,
    ],
    ["GET /rules (list) time", `${fixed(r.listMs, 1)} ms`],
    ["VmRSS idle (no rules, 2 s after ready)", mib(r.rssIdleKb)],
    ["VmRSS 2 s after the last creation", mib(r.rssAfterKb)],
    ["VmRSS peak during creation (250 ms samples)", mib(r.rssPeakDuringCreateKb)],
    ["VmHWM at end", mib(r.vmHwmKb)],
    ["(RSS − idle RSS) ÷ rules", `${fixed(r.perRuleKb, 1)} KiB`],
    [
      "VmRSS at end: anonymous / file-backed",
      `${mib(r.rssAnonAfterKb)} / ${mib(r.rssFileAfterKb)}`,
    ],
    [
      "V8 heap used after full GC: no rules → all rules",
      r.heapIdle && r.heapAfter
        ? `${mib(r.heapIdle.usedKb)} → ${mib(r.heapAfter.usedKb)} (total ${
          mib(r.heapAfter.totalKb)
        })`
        : `– ${r.heapError ?? "(--no-heap)"}`,
    ],
    ["V8 heap used per rule (after GC)", `${fixed(r.heapPerRuleKb, 1)} KiB`],
    ["VmRSS after that GC", r.heapAfter ? mib(r.rssAfterGcKb) : "– (no GC forced)"],
    ["weir CPU while idle with the rules (5 s)", `${fixed(r.idleCpuPercent, 1)} %`],
    [`GET /rules/{id}/status × ${r.statusLatency.calls} p50 / p99 / max`, lat(r.statusLatency)],
    [
      "probe message reaches the rules",
      r.probe
        ? `${r.probe.ok ? "yes" : "NO"}, ${fixed(r.probe.ms, 0)} ms (${r.probe.detail})`
        : "–",
    ],
    ["home folder on disk", mib(r.homeDiskKb)],
    ["SIGTERM → exit", `${fixed(r.stopSeconds, 2)} s`],
  ];
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`s4: ${(e as Error).message}`);
    return 2;
  }
  return await runBenchmark("s4", o.timeoutS, async ({ cleanup, startMosquitto }) => {
    const date = new Date().toISOString().slice(0, 10);
    const env = {
      machine: machine(),
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      mosquitto: o.source === "mqtt" ? mosquittoVersion() : undefined,
    };
    console.log(
      `S4 ${date}: ${o.starts} starts; ${int(o.rules)} idle rules over ${o.source}\n` +
        `machine: ${env.machine.nproc} × ${env.machine.cpuModel}, ` +
        `${int(env.machine.memTotalMiB)} MiB; deno ${env.deno}`,
    );
    const mosq = o.source === "mqtt" ? await startMosquitto() : undefined;
    // Without MQTT rules nothing connects: the confKey only needs a well-formed URL.
    const brokerUrl = mosq?.url ?? "mqtt://127.0.0.1:1";

    console.log("(a) start-to-ready: from source, the bundle deno compile embeds, the Bun binary…");
    const starts = await startToReady(cleanup, brokerUrl, o.starts);
    const bundleStarts = await startToReady(
      cleanup,
      brokerUrl,
      o.starts,
      await bundleWeir(cleanup),
    );
    const binaryStarts = await startToReady(
      cleanup,
      brokerUrl,
      o.starts,
      await bunBinaryWeir(cleanup),
    );
    console.log(`(b) ${int(o.rules)} idle rules…`);
    const rules = await idleRules(cleanup, mosq, brokerUrl, o);

    const startHeader = ["S4 (a)", "deno run main.ts", "deno run bundle", "Bun binary"];
    const startTable = startRows(starts, bundleStarts, binaryStarts);
    console.log("\n" + textTable(startHeader, startTable));
    console.log("\n" + textTable(["S4 (b)", "Weir"], ruleRows(rules)));
    if (rules.firstErrors.length) console.log(`first errors:\n${rules.firstErrors.join("\n")}`);

    const command = ["deno task bench:s4", ...Deno.args].join(" ");
    const result = {
      bench: "s4",
      date,
      command,
      options: o,
      ...env,
      workload: {
        stream: streamSql(o.source),
        ruleOptions: o.bufferLength ? { bufferLength: o.bufferLength } : {},
        rule: "SELECT * FROM s WHERE id = k",
        action: { nop: {} },
      },
      starts,
      bundleStarts,
      binaryStarts,
      rules,
    };
    const dir = join(ROOT, "bench", "results");
    mkdirSync(dir, { recursive: true });
    const file = join(
      dir,
      `s4-${date}-${o.source}-r${o.rules}` + (o.heap ? "" : "-noheap") +
        (o.bufferLength ? `-buf${o.bufferLength}` : "") + ".json",
    );
    writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
    console.log(`\nwrote ${file.slice(ROOT.length + 1)}`);
    console.log(
      `\nMarkdown for bench/RESULTS.md:\n\n\`${command}\`\n\n` +
        markdownTable(startHeader, startTable) + "\n\n" +
        markdownTable(["S4 (b) idle rules", "Weir"], ruleRows(rules)),
    );
    return rules.created === o.rules && rules.running === o.rules ? 0 : 1;
  });
}

if (import.meta.main) Deno.exit(await main());
