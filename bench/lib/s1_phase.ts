/**
 * S1 through one engine process — Weir, or the hand-written mqtt.js script a user would run
 * instead (bench/baseline/s1_mqttjs.ts) — measured the same way for both: warm-up messages until
 * a result comes out, then the workload goes to `bench/in` (flood, or paced) while results are
 * counted on `bench/out` and the engine's CPU and RSS are sampled from /proc.
 */
import { type Cleanup, type Mosquitto, type ScriptChild, startDenoScript } from "./procs.ts";
import { type CpuUsage, OtherCpu, ProcSampler, statusKb } from "./proc_stats.ts";
import {
  type BenchClient,
  connect,
  Counter,
  type Latency,
  publishWorkload,
  subscribe,
  warmupPayload,
  type Workload,
} from "./load.ts";
import type { Status } from "./rule_status.ts";

export const S1_IN = "bench/in";
export const S1_OUT = "bench/out";
/** The S1 rule; bench/baseline/s1_mqttjs.ts does the same by hand. */
export const S1_SQL = "SELECT id, temperature, ts FROM s WHERE temperature > 30";
export const S1_STREAM_SQL = `CREATE STREAM s () WITH (DATASOURCE="${S1_IN}", FORMAT="json")`;
/** A phase ends this long after the publisher finished and results stopped arriving. */
export const IDLE_MS = 3000;

const HAND_WRITTEN_SCRIPT = "bench/baseline/s1_mqttjs.ts";

/** The hand-written S1 script as a child process, subscribed to `bench/in` on `brokerUrl`. */
export function startHandWritten(cleanup: Cleanup, brokerUrl: string): Promise<ScriptChild> {
  return startDenoScript(cleanup, HAND_WRITTEN_SCRIPT, [brokerUrl], /^ready$/);
}

export interface Engine {
  pid: number;
  /** The rule's status (Weir), read before and after the measured window. */
  status?(): Promise<Status>;
  /** Resolves once the engine's start-up work is over (Weir's settling, `WeirChild.settled`). */
  settled?(): Promise<void>;
}

export interface PhaseOptions {
  /** msgs/s; without it, a flood. With it, every result gives a latency sample. */
  rate?: number;
  /** Suffix of the benchmark's client ids. */
  tag: string;
  /** The most the measured window may take once the publish started. */
  capMs: number;
}

export interface EngineResult {
  sent: number;
  expected: number;
  received: number;
  loss: number;
  ending: string;
  publishSeconds: number;
  publishRate: number;
  /** first send → last result */
  windowSeconds: number;
  resultsRate: number;
  /** sent ÷ (first send → last result) */
  throughput: number;
  engineCpu: CpuUsage;
  mosquittoCpu: CpuUsage;
  benchCpu: CpuUsage;
  rssIdleKb: number;
  rssPeakKb: number;
  vmHwmKb: number;
  rssSamples: number;
  /** CPU of the processes the benchmark does not own, over the window (100 = one core). */
  otherCpuPercent: number;
  latency?: Latency;
}

export interface Phase {
  result: EngineResult;
  /** `engine.status()` before and after the measured window, when the engine has one. */
  before?: Status;
  after?: Status;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runS1Phase(
  engine: Engine,
  mosq: Mosquitto,
  w: Workload,
  o: PhaseOptions,
): Promise<Phase> {
  let sub: BenchClient | undefined;
  let pub: BenchClient | undefined;
  const sampler = new ProcSampler([engine.pid, mosq.pid, Deno.pid]);
  try {
    const counter = new Counter(o.rate !== undefined);
    sub = await subscribe(mosq.url, `bench-sub-${o.tag}`, S1_OUT, counter);
    pub = await connect(mosq.url, `bench-pub-${o.tag}`);

    // Warm-up: the engine's subscription is live once a message it passes comes out.
    const warmUntil = performance.now() + 20_000;
    while (counter.received === 0) {
      if (performance.now() > warmUntil) {
        throw new Error("no warm-up result in 20 s");
      }
      pub.publish(S1_IN, warmupPayload(), { qos: 0 });
      await sleep(200);
    }
    await counter.quiet(500, 5000);
    await engine.settled?.();
    const before = await engine.status?.();
    if (before && before.status !== "running") {
      throw new Error(`rule not running: ${JSON.stringify(before)}`);
    }
    const rssIdleKb = statusKb(engine.pid, "VmRSS");
    counter.reset();

    const other = new OtherCpu([engine.pid, mosq.pid, Deno.pid]);
    sampler.start();
    const published = publishWorkload(pub, S1_IN, w, o.rate);
    const ending = await counter.waitFor(w.expected, published, IDLE_MS, o.capMs);
    const p = await published;
    await sleep(2 * sampler.intervalMs);
    sampler.stop();
    const otherCpuPercent = other.percent();
    const after = await engine.status?.();
    const lastAt = counter.received > 0 ? counter.lastAt : p.endAt;
    const end = Math.max(p.endAt, lastAt);
    const windowSeconds = (lastAt - p.startAt) / 1000;
    const result: EngineResult = {
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
      engineCpu: sampler.usage(0, p.startAt, end, w.n),
      mosquittoCpu: sampler.usage(1, p.startAt, end, w.n),
      benchCpu: sampler.usage(2, p.startAt, end, w.n),
      rssIdleKb,
      rssPeakKb: sampler.peakRssKb(0),
      vmHwmKb: statusKb(engine.pid, "VmHWM"),
      rssSamples: sampler.count,
      otherCpuPercent,
      latency: counter.latencySummary(),
    };
    return { result, before, after };
  } finally {
    sampler.stop();
    await pub?.endAsync(true);
    await sub?.endAsync(true);
  }
}
