/**
 * Issue 9's benchmark in one command: every scenario, one after the other, and the issue's
 * targets checked against the figures each one wrote.
 *
 *   deno task bench:all                         # S1 flood and latency, S2, S3, S4; 5 runs each
 *   deno task bench:all --runs 1 --only s2,s3   # a subset, one run
 *
 * Flags: --runs K (5: the runs of S1's flood, S2 and S3; their medians are checked), --only
 * s1,s2,s3,s4 (a subset; s1 is both S1 runs), --timeout S (hard limit for everything, 3600: a
 * scenario gets at most what is left of it, and those that no longer fit are not run).
 *
 * Each scenario is a child process from the checkout's root, never two at once, its output
 * passed through as it comes:
 *  - S1 flood     bench/s1.ts --runs K                         (timeout 300 s per run)
 *  - S1 latency   bench/s1.ts --rate 2000 --messages 20000     (300 s)
 *  - S2           bench/s2.ts --runs K                         (300 s per run)
 *  - S3           bench/s3.ts --runs K                         (300 s per run)
 *  - S4           bench/s4.ts --rules 10000 --starts 3 --no-heap   (600 s: start-to-ready and
 *                 idle RSS of `deno run main.ts`, of the bundle the Deno binary embeds and of
 *                 the Bun binary; then 10,000 idle MQTT rules in a Weir without the inspector)
 * Once a child is done, the newest bench/results/<scenario>-*.json written since it started is
 * read and the figures the targets are about are taken from it: S1 Weir / hand-written
 * throughput (>= 1.0x) and CPU per message (<= 0.5x), medians of the runs' own ratios, and the
 * latency p50 / p99 at 2,000 msgs/s (no target); S2 Weir's CPU per message / the hand-written
 * S1 script's (<= 0.3x); S3 100 rules' throughput / Weir's S1 (>= 0.9x, each round against the
 * S1 phases before and after it; 10 rules reported);
 * S4 RSS per idle rule (<= 50 KB), RSS with 10,000 rules (< 1 GB), their creation (< 60 s),
 * GET /rules/{id}/status p99 (< 50 ms), idle RSS of the bundle under Deno (<= 60 MB) and of the
 * Bun binary after a boot (<= 35 MB), start-to-ready (<= 300 ms). MB is 10^6 bytes; /proc's kB
 * (the JSON files' `Kb`) are KiB. Every scenario is also checked for its exit code (S2, S3 and
 * S4 exit 1 when a result is missing) and for lost results or rules.
 *
 * Prints a Markdown table (scenario, figure, measured, target, PASS / FAIL), writes it with the
 * scenarios' commands and exit codes to bench/results/all-<date>.json, and exits 1 when a
 * scenario failed or missed a target.
 *
 * @module
 */
import { positiveInt } from "./lib/args.ts";
import { parseArgs } from "node:util";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/procs.ts";
import type { EngineResult } from "./lib/s1_phase.ts";
import { fixed, int, machine, markdownTable, median, mib } from "./lib/report.ts";

const SCENARIO_KEYS = ["s1", "s2", "s3", "s4"] as const;
type ScenarioKey = typeof SCENARIO_KEYS[number];

interface Options {
  runs: number;
  only: ScenarioKey[];
  timeoutS: number;
}

function options(): Options {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      // Five: on a 2-core machine one S3 round's ratio moves by ±15 % (the machine's speed
      // drifts between phases); the median of five moves far less (bench/RESULTS.md, session 16).
      runs: { type: "string", default: "5" },
      only: { type: "string", default: SCENARIO_KEYS.join(",") },
      timeout: { type: "string", default: "3600" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("deno task bench:all [--runs K] [--only s1,s2,s3,s4] [--timeout S]");
    Deno.exit(0);
  }
  const only = values.only!.split(",").map((s) => s.trim()).filter((s) => s);
  for (const key of only) {
    if (!(SCENARIO_KEYS as readonly string[]).includes(key)) {
      throw new Error(`--only takes ${SCENARIO_KEYS.join(",")}, got ${key}`);
    }
  }
  if (only.length === 0) throw new Error("--only names no scenario");
  return {
    runs: positiveInt("runs", values.runs, 20),
    only: only as ScenarioKey[],
    timeoutS: positiveInt("timeout", values.timeout, 86_400),
  };
}

/** One line of the final table; `pass` is undefined for a figure reported without a target. */
interface Row {
  scenario: string;
  figure: string;
  measured: string;
  /** The figure as a number (NaN when it is not one), for the JSON file. */
  value: number;
  target: string;
  pass?: boolean;
}

type Figure = Omit<Row, "scenario">;

/** A target: the figure must be `op` `limit`. */
interface Target {
  op: ">=" | "<=" | "<" | "=";
  limit: number;
  text: string;
}

function meets(value: number, t: Target): boolean {
  if (!Number.isFinite(value)) return false;
  if (t.op === ">=") return value >= t.limit;
  if (t.op === "<=") return value <= t.limit;
  if (t.op === "<") return value < t.limit;
  return value === t.limit;
}

/** A row that fails: something that should have happened (`expected`) did not. */
function failed(name: string, measured: string, expected: string): Figure {
  return figure(name, NaN, measured, { op: "=", limit: 1, text: expected });
}

function figure(name: string, value: number, measured: string, target?: Target): Figure {
  return {
    figure: name,
    measured,
    value,
    target: target?.text ?? "–",
    pass: target ? meets(value, target) : undefined,
  };
}

const ratio = (x: number) => `${fixed(x, 2)}×`;
const KIB = 1024;
/** A size in /proc's kB (KiB) as MiB and as MB (10^6 bytes). */
const mibMb = (kb: number) => `${mib(kb)} = ${fixed(kb * KIB / 1e6, 1)} MB`;
const none = { op: "=", limit: 0, text: "0" } as const;

// The JSON files' shapes, as far as they are read here (see each script's `writeFileSync`).

interface S1Run {
  handWritten: EngineResult;
  weir: EngineResult;
  weirOverHandWritten: { throughput: number; cpuPerMessage: number };
}

interface S1Json {
  runs: S1Run[];
  /** Each figure's median over the runs; the ratios are the medians of the runs' own. */
  median: S1Run;
}

interface S2Weir {
  loss: number;
  cpuUsPerMessage: number;
}

interface S2Json {
  handWritten: EngineResult;
  weir: S2Weir;
  /** The median of the rounds' own ratios. */
  cpuPerMessageRatio: number;
  /** Only with --runs > 1. */
  rounds?: { handWritten: EngineResult; weir: S2Weir }[];
}

interface S3Config {
  rules: number;
  shared: boolean;
  throughput: number;
  weirCpu: { usPerMessage: number };
  loss: number;
  rulesOff: unknown[];
}

interface S3Json {
  /** Per configuration (S1 first), each figure's median over the rounds. */
  results: S3Config[];
  /** Only with --runs > 1: the rounds. */
  rounds?: S3Config[][];
  /** The medians of the ratios to S1 within each round (S1 bracketing: see bench/s3.ts). */
  ratios?: { throughput: number; cpu: number }[];
  /** The S1 phase after the last round. */
  closingS1?: S3Config;
}

interface S4Start {
  readyMs: number;
  rssAfter2sKb: number;
}

/** Starts with the page cache as it is, and dropped before each (as after a boot; root only). */
interface S4Starts {
  warm: S4Start[];
  cold: S4Start[];
}

interface S4Json {
  starts: S4Starts;
  bundleStarts: S4Starts;
  binaryStarts: S4Starts;
  rules: {
    requested: number;
    created: number;
    running: number;
    stoppedBecause: string;
    createSeconds: number;
    rssAfterKb: number;
    /** (RSS - idle RSS) / rules, KiB */
    perRuleKb: number;
    statusLatency: { p99Ms: number };
    probe?: { ok: boolean };
  };
}

/** Results the engines failed to deliver, over every run: Weir's and the script's. */
function lossFigure(weir: number[], script: number[]): Figure {
  const w = weir.reduce((a, b) => a + b, 0);
  const s = script.reduce((a, b) => a + b, 0);
  return figure("results lost, Weir / hand-written", w + s, `${int(w)} / ${int(s)}`, none);
}

function s1Flood(j: S1Json): Figure[] {
  const m = j.median;
  return [
    lossFigure(j.runs.map((r) => r.weir.loss), j.runs.map((r) => r.handWritten.loss)),
    figure(
      "throughput, Weir ÷ hand-written",
      m.weirOverHandWritten.throughput,
      `${ratio(m.weirOverHandWritten.throughput)} (${int(m.weir.throughput)} vs ` +
        `${int(m.handWritten.throughput)} msgs/s)`,
      { op: ">=", limit: 1, text: "≥ 1.0×" },
    ),
    figure(
      "CPU µs per message, Weir ÷ hand-written",
      m.weirOverHandWritten.cpuPerMessage,
      `${ratio(m.weirOverHandWritten.cpuPerMessage)} (${fixed(m.weir.engineCpu.usPerMessage, 2)}` +
        ` vs ${fixed(m.handWritten.engineCpu.usPerMessage, 2)} µs)`,
      { op: "<=", limit: 0.5, text: "≤ 0.5×" },
    ),
  ];
}

function s1Latency(j: S1Json): Figure[] {
  const w = j.median.weir.latency;
  const h = j.median.handWritten.latency;
  const ms = (x: number | undefined) => `${fixed(x, 2)} ms`;
  return [
    lossFigure(j.runs.map((r) => r.weir.loss), j.runs.map((r) => r.handWritten.loss)),
    figure(
      "latency p50 at 2,000 msgs/s",
      w?.p50Ms ?? NaN,
      `${ms(w?.p50Ms)} (hand-written ${ms(h?.p50Ms)})`,
    ),
    figure(
      "latency p99 at 2,000 msgs/s",
      w?.p99Ms ?? NaN,
      `${ms(w?.p99Ms)} (hand-written ${ms(h?.p99Ms)})`,
    ),
  ];
}

function s2(j: S2Json): Figure[] {
  const rounds = j.rounds ?? [j];
  return [
    lossFigure(rounds.map((r) => r.weir.loss), rounds.map((r) => r.handWritten.loss)),
    figure(
      "CPU µs per message, Weir S2 ÷ hand-written S1",
      j.cpuPerMessageRatio,
      `${ratio(j.cpuPerMessageRatio)} (${fixed(j.weir.cpuUsPerMessage, 2)} vs ` +
        `${fixed(j.handWritten.engineCpu.usPerMessage, 2)} µs)`,
      { op: "<=", limit: 0.3, text: "≤ 0.3×" },
    ),
  ];
}

function s3(j: S3Json): Figure[] {
  const s1 = j.results[0];
  if (s1?.shared !== false) throw new Error("no S1 configuration (run without --no-s1)");
  const rounds = j.rounds ?? [j.results];
  const phases = j.closingS1 ? [...rounds.flat(), j.closingS1] : rounds.flat();
  const lost = phases.reduce((a, r) => a + r.loss, 0);
  const off = phases.reduce((a, r) => a + r.rulesOff.length, 0);
  // Files written before the closing S1 phase have no `ratios` for one round: the results'.
  const throughputRatio = (i: number) =>
    j.ratios?.[i].throughput ?? j.results[i].throughput / s1.throughput;
  const cpuRatio = (i: number) =>
    j.ratios?.[i].cpu ?? j.results[i].weirCpu.usPerMessage / s1.weirCpu.usPerMessage;
  const sharedRules = (rules: number, target?: Target) => {
    const i = j.results.findIndex((r) => r.shared && r.rules === rules);
    if (i < 0) throw new Error(`no ${rules}-rule configuration`);
    const x = throughputRatio(i);
    const cpu = cpuRatio(i);
    const us = (r: S3Config) => fixed(r.weirCpu.usPerMessage, 2);
    return [
      figure(
        `${rules} rules (SHARED): throughput ÷ Weir's S1`,
        x,
        `${ratio(x)} (${int(j.results[i].throughput)} vs ${int(s1.throughput)} msgs/s)`,
        target,
      ),
      // How flat the cost is (no target: the target is the throughput).
      figure(
        `${rules} rules (SHARED): Weir CPU µs per message ÷ Weir's S1`,
        cpu,
        `${ratio(cpu)} (${us(j.results[i])} vs ${us(s1)} µs)`,
      ),
    ];
  };
  return [
    figure("results lost / rules with output ≠ expected", lost + off, `${lost} / ${off}`, none),
    ...sharedRules(100, { op: ">=", limit: 0.9, text: "≥ 0.9×" }),
    ...sharedRules(10),
  ];
}

/** Start-to-ready figures are the later starts' (the first one may fill Deno's caches). */
const laterStarts = (s: S4Start[]) => s.length > 1 ? s.slice(1) : s;
const medianRssKb = (s: S4Start[]) => median(s.map((x) => x.rssAfter2sKb));

function s4Starts(j: S4Json): Figure[] {
  const mb = (limit: number) => ({ op: "<=", limit: limit * 1e6, text: `≤ ${limit} MB` }) as const;
  const idle = (name: string, starts: S4Start[], target?: Target) => {
    const kb = medianRssKb(starts);
    return figure(`idle RSS 2 s after ready, ${name}, median`, kb * KIB, mibMb(kb), target);
  };
  const ready = (name: string, s: S4Starts) => {
    const ms = median(laterStarts(s.warm).map((x) => x.readyMs));
    return figure(
      `spawn → ready (GET /ping), ${name}, later starts' median`,
      ms,
      `${fixed(ms, 0)} ms`,
      { op: "<=", limit: 300, text: "≤ 300 ms" },
    );
  };
  const bun = j.binaryStarts;
  const bunAfterBoot = bun.cold.length > 0;
  return [
    idle("deno run bundle (the Deno binary's)", j.bundleStarts.warm, mb(60)),
    idle("deno run main.ts (no target: not the binary)", j.starts.warm),
    idle(
      `Bun binary, ${bunAfterBoot ? "page cache dropped (as after a boot)" : "page cache warm"}`,
      bunAfterBoot ? bun.cold : bun.warm,
      mb(35),
    ),
    ready("deno run main.ts", j.starts),
    ready("deno run bundle", j.bundleStarts),
    ready("Bun binary", bun),
  ];
}

function s4Rules(j: S4Json): Figure[] {
  const r = j.rules;
  const n = int(r.requested);
  const complete = r.created === r.requested && r.running === r.requested && r.probe?.ok === true;
  return [
    figure(
      "rules created / running; probe message received",
      complete ? 1 : 0,
      `${int(r.created)} / ${int(r.running)}; ${r.probe?.ok ? "yes" : "no"}` +
        (r.stoppedBecause === "all created" ? "" : ` (${r.stoppedBecause})`),
      { op: "=", limit: 1, text: `${n} / ${n}; yes` },
    ),
    figure(
      `(RSS − idle RSS) ÷ rules, ${n} rules`,
      r.perRuleKb * KIB,
      `${fixed(r.perRuleKb, 1)} KiB = ${int(r.perRuleKb * KIB)} bytes`,
      { op: "<=", limit: 50_000, text: "≤ 50 KB" },
    ),
    figure(`RSS with ${n} rules`, r.rssAfterKb * KIB, mibMb(r.rssAfterKb), {
      op: "<",
      limit: 1e9,
      text: "< 1 GB",
    }),
    figure(
      `creation of ${n} rules (sequential POST /rules)`,
      r.createSeconds,
      `${fixed(r.createSeconds, 1)} s`,
      { op: "<", limit: 60, text: "< 60 s" },
    ),
    figure(
      `GET /rules/{id}/status p99, ${n} rules`,
      r.statusLatency.p99Ms,
      `${fixed(r.statusLatency.p99Ms, 2)} ms`,
      { op: "<", limit: 50, text: "< 50 ms" },
    ),
  ];
}

interface Scenario {
  /** Also its results files' prefix: bench/results/<key>-*.json. */
  key: ScenarioKey;
  name: string;
  script: string;
  args: string[];
  /** Its own hard limit (`--timeout`), when the overall one leaves that much. */
  timeoutS: number;
  figures(json: unknown): Figure[];
}

function scenarios(o: Options): Scenario[] {
  const runs = ["--runs", String(o.runs)];
  const perRun = Math.min(3600, 300 * o.runs);
  const all: Scenario[] = [
    {
      key: "s1",
      name: "S1 flood",
      script: "bench/s1.ts",
      args: runs,
      timeoutS: perRun,
      figures: (j) => s1Flood(j as S1Json),
    },
    {
      key: "s1",
      name: "S1 latency",
      script: "bench/s1.ts",
      args: ["--rate", "2000", "--messages", "20000"],
      timeoutS: 300,
      figures: (j) => s1Latency(j as S1Json),
    },
    {
      key: "s2",
      name: "S2",
      script: "bench/s2.ts",
      args: runs,
      timeoutS: perRun,
      figures: (j) => s2(j as S2Json),
    },
    {
      key: "s3",
      name: "S3",
      script: "bench/s3.ts",
      args: runs,
      timeoutS: perRun,
      figures: (j) => s3(j as S3Json),
    },
    {
      key: "s4",
      name: "S4",
      script: "bench/s4.ts",
      // --no-heap: the 10,000 rules' Weir runs without the inspector (~15 MiB of RSS).
      args: ["--rules", "10000", "--starts", "3", "--no-heap"],
      timeoutS: 600,
      figures: (j) => [...s4Rules(j as S4Json), ...s4Starts(j as S4Json)],
    },
  ];
  return all.filter((s) => o.only.includes(s.key));
}

interface ChildRun {
  scenario: string;
  command: string;
  exitCode: number;
  signal: string | null;
  seconds: number;
  resultsFile?: string;
}

/**
 * `deno run -A <script> <args> --timeout <timeoutS>` from the root, output passed through.
 * Its own timeout stops it and its children; past that plus a grace it gets SIGTERM (its
 * cleanup runs), then SIGKILL.
 */
async function runChild(s: Scenario, timeoutS: number): Promise<Deno.CommandStatus> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", s.script, ...s.args, "--timeout", String(timeoutS)],
    cwd: ROOT,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* gone */ }
  };
  const term = setTimeout(() => kill("SIGTERM"), (timeoutS + 30) * 1000);
  const kill9 = setTimeout(() => kill("SIGKILL"), (timeoutS + 60) * 1000);
  try {
    return await child.status;
  } finally {
    clearTimeout(term);
    clearTimeout(kill9);
  }
}

/** The newest bench/results/<prefix>-*.json modified at or after `sinceMs` (epoch ms). */
function newestResults(prefix: string, sinceMs: number): string | undefined {
  const dir = join(ROOT, "bench", "results");
  let best: { path: string; mtime: number } | undefined;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${prefix}-`) || !name.endsWith(".json")) continue;
    const path = join(dir, name);
    const mtime = statSync(path).mtimeMs;
    if (mtime >= sinceMs && (!best || mtime > best.mtime)) best = { path, mtime };
  }
  return best?.path;
}

const relative = (path: string) => path.slice(ROOT.length + 1);

/** The figures of a finished child's results file; a failing row when there is none. */
function readFigures(s: Scenario, file: string | undefined): Figure[] {
  if (!file) {
    return [failed("results file", "none written", "written")];
  }
  try {
    return s.figures(JSON.parse(Deno.readTextFileSync(file)));
  } catch (e) {
    return [failed("figures", `${relative(file)}: ${(e as Error).message}`, "read")];
  }
}

function exitFigure(status: Deno.CommandStatus): Figure {
  const signal = status.signal ? ` (${status.signal})` : "";
  return figure("exit code", status.code, `${status.code}${signal}`, none);
}

/** Runs the scenario if the overall deadline leaves it time; its rows. */
async function runScenario(
  s: Scenario,
  deadlineAt: number,
  runsLog: ChildRun[],
): Promise<Row[]> {
  const leftS = Math.floor((deadlineAt - Date.now()) / 1000);
  const rows = (figures: Figure[]) => figures.map((f) => ({ scenario: s.name, ...f }));
  if (leftS < 30) {
    return rows([failed("run", "not run: overall --timeout reached", "run")]);
  }
  const timeoutS = Math.min(s.timeoutS, leftS);
  const command = `deno run -A ${s.script} ${[...s.args, "--timeout", timeoutS].join(" ")}`;
  console.log(`\n=== ${s.name}: ${command}\n`);
  const startedAt = Date.now();
  const status = await runChild(s, timeoutS);
  const seconds = (Date.now() - startedAt) / 1000;
  const file = newestResults(s.key, startedAt);
  runsLog.push({
    scenario: s.name,
    command,
    exitCode: status.code,
    signal: status.signal,
    seconds,
    resultsFile: file && relative(file),
  });
  console.log(
    `\n=== ${s.name}: exit code ${status.code} after ${fixed(seconds, 0)} s` +
      (file ? `; reading ${relative(file)}` : "; no results file written"),
  );
  return rows([exitFigure(status), ...readFigures(s, file)]);
}

const verdict = (pass: boolean | undefined) => pass === undefined ? "–" : pass ? "PASS" : "FAIL";

function table(rows: Row[]): string {
  return markdownTable(
    ["scenario", "figure", "measured", "target", "result"],
    rows.map((r) => [r.scenario, r.figure, r.measured, r.target, verdict(r.pass)]),
  );
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = options();
  } catch (e) {
    console.error(`all: ${(e as Error).message}`);
    return 2;
  }
  const startedAt = Date.now();
  const deadlineAt = startedAt + o.timeoutS * 1000;
  const date = new Date(startedAt).toISOString().slice(0, 10);
  const list = scenarios(o);
  console.log(
    `bench:all ${date}: ${list.map((s) => s.name).join(", ")}; --runs ${o.runs}, ` +
      `--timeout ${o.timeoutS} s overall`,
  );
  const children: ChildRun[] = [];
  const rows: Row[] = [];
  for (const s of list) rows.push(...await runScenario(s, deadlineAt, children));
  const seconds = (Date.now() - startedAt) / 1000;
  const pass = rows.every((r) => r.pass !== false);

  console.log(`\nbench:all: ${fixed(seconds / 60, 1)} min\n\n${table(rows)}\n`);
  const result = {
    bench: "all",
    date,
    command: ["deno task bench:all", ...Deno.args].join(" "),
    options: o,
    machine: machine(),
    deno: Deno.version.deno,
    seconds,
    children,
    rows,
    pass,
  };
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `all-${date}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log(`wrote ${relative(file)}`);
  console.log(pass ? "every target met" : "FAIL: a scenario failed or missed a target");
  return pass ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
