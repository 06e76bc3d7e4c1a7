/**
 * The engine alone on S3's shape: R rules on one SHARED stream, in this process, without
 * sockets, broker or MQTT framing. Messages arrive as an MQTT read would hand them over
 * (views into one chunk of K messages), a turn of the event loop after each read; results go to
 * a counting sink through the JSON encoder. Prints CPU µs per message for R rules against one,
 * the figure S3 needs flat. For A/B comparisons of the engine's per-rule cost: quieter than
 * S3 on a shared 2-core machine, and not the issue's benchmark (`deno task bench:s3` is).
 *
 *   deno task bench:fanout                        # 1 and 100 rules, 200,000 messages, 5 runs
 *   deno task bench:fanout --rules 1,10,100 --read 140 --runs 3
 *   deno task bench:fanout --runs 1 --profile bench/results   # a V8 CPU profile of each run
 *
 * @module
 */
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import process from "node:process";
import { setImmediate } from "node:timers";
import { Catalog } from "../src/catalog/catalog.ts";
import { KvStore } from "../src/store/kv_store.ts";
import { ConfKeys } from "../src/config/conf_keys.ts";
import { Scheduler } from "../src/runtime/scheduler.ts";
import { SourceHub } from "../src/runtime/source_hub.ts";
import { RuleRuntime } from "../src/runtime/rule_runtime.ts";
import { planRule } from "../src/planner/plan_rule.ts";
import { parseRule } from "../src/rules/rule_def.ts";
import { logger, setLogLevel } from "../src/log.ts";
import { type RawMessage, sinkSpecs, type SourceContext, sourceSpecs } from "../src/io/mod.ts";
import { makeWorkload, payload } from "./lib/load.ts";
import { s3RuleSql } from "./lib/s3_shape.ts";
import { S1_SQL } from "./lib/s1_phase.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "200000" },
    rules: { type: "string", default: "1,100" },
    read: { type: "string", default: "140" },
    runs: { type: "string", default: "5" },
    profile: { type: "string" },
  },
});
const N = Number(values.messages);
const RULE_COUNTS = values.rules.split(",").map(Number);
/** Messages per simulated socket read (S1 over mosquitto: ~13 KB, ~140 messages); at most a
 * rule's buffer (1,024), as a source pauses when one is full. */
const READ = Number(values.read);
if (!(READ >= 1 && READ <= 1024)) throw new Error("--read: 1 to 1024 messages");
const RUNS = Number(values.runs);

setLogLevel("error");
let source: SourceContext | undefined;
let results = 0;
sourceSpecs.bench = {
  type: "bench",
  payload: "bytes",
  create: () => ({
    open(ctx) {
      source = ctx;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  }),
};
sinkSpecs.count = {
  type: "count",
  payload: "bytes",
  create: () => ({
    connect(ctx) {
      ctx.setConnectionStatus("connected");
      return Promise.resolve();
    },
    collect() {
      results++;
      return Promise.resolve();
    },
    trySend() {
      results++;
      return true;
    },
    close: () => Promise.resolve(),
  }),
};

const dir = await Deno.makeTempDir({ prefix: "weir-fanout-" });
const store = await KvStore.open(`${dir}/weir.db`);
const catalog = new Catalog(store);
catalog.execute(
  'CREATE STREAM s () WITH (DATASOURCE="in", TYPE="bench", FORMAT="json", SHARED="true")',
);
const deps = {
  scheduler: new Scheduler(),
  hub: new SourceHub(logger("source")),
  confKeys: new ConfKeys(`${dir}/etc`, store),
  logger: logger("rule"),
};

const work = makeWorkload(N);
const encoder = new TextEncoder();
/** The reads, each one chunk holding READ messages back to back. */
const reads: { chunk: Uint8Array; ends: number[] }[] = [];
for (let i = 0; i < N; i += READ) {
  const texts: string[] = [];
  for (let j = i; j < Math.min(N, i + READ); j++) texts.push(payload(work, j, 1_700_000_000_000));
  const chunk = encoder.encode(texts.join(""));
  const ends: number[] = [];
  let end = 0;
  for (const t of texts) ends.push(end += t.length);
  reads.push({ chunk, ends });
}

/** With --profile DIR: a V8 CPU profile of each run's measured window, written to DIR. */
const profiler = values.profile === undefined ? undefined : new Session();
let profiled = 0;
if (profiler) {
  await Deno.mkdir(values.profile!, { recursive: true });
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.setSamplingInterval", { interval: 100 });
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(rules: number): Promise<number> {
  const runtimes: RuleRuntime[] = [];
  for (let k = 0; k < rules; k++) {
    const sql = rules === 1 ? S1_SQL : s3RuleSql(rules, k);
    const def = parseRule({ id: `r${k}`, sql, actions: [{ count: {} }] });
    const rt = new RuleRuntime(def, planRule(sql, catalog), deps);
    rt.start();
    runtimes.push(rt);
  }
  await turn();
  results = 0;
  const meta = { topic: "in" };
  if (profiler) await profiler.post("Profiler.start");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const r of reads) {
    let start = 0;
    for (const end of r.ends) {
      const m: RawMessage = { chunk: r.chunk, start, end, meta, timestamp: Date.now() };
      source!.emit(m);
      start = end;
    }
    await turn();
  }
  // Results stop coming: a bug or a --read over the rule's buffer (messages dropped).
  for (let last = -1, since = performance.now(); results < work.expected;) {
    if (results !== last) [last, since] = [results, performance.now()];
    else if (performance.now() - since > 2000) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  if (profiler) {
    const { profile } = await profiler.post("Profiler.stop");
    const file = `${values.profile}/fanout-${rules}-rules-${++profiled}.cpuprofile`;
    await Deno.writeTextFile(file, JSON.stringify(profile));
    console.log(`profile: ${file}`);
  }
  await Promise.all(runtimes.map((rt) => rt.stop()));
  if (results !== work.expected) throw new Error(`${results} results, ${work.expected} expected`);
  const us = (cpu.user + cpu.system) / N;
  console.log(
    `rules ${rules}: ${us.toFixed(2)} µs CPU/msg, ${(N / wall * 1000).toFixed(0)} msgs/s`,
  );
  return us;
}

const byRules = new Map<number, number[]>();
for (let i = 0; i < RUNS; i++) {
  for (const r of RULE_COUNTS) {
    const us = await run(r);
    byRules.set(r, [...(byRules.get(r) ?? []), us]);
  }
}
for (const [r, list] of byRules) {
  list.sort((a, b) => a - b);
  console.log(
    `rules ${r}: min ${list[0].toFixed(2)} median ${list[list.length >> 1].toFixed(2)} µs/msg`,
  );
}
store.close();
await Deno.remove(dir, { recursive: true });
