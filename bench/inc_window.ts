/**
 * Seed 004's memory comparison, reproducible: the rule
 *   select sum(b) from demo group by tumblingwindow(ss, 10) having avg(a) > 0
 * fed at a fixed rate (default 50,000 msgs/s for 30 s) over MQTT, once with ordinary windows and
 * once with `planOptimizeStrategy.enableIncrementalWindow`. Reports peak RSS (from /proc), peak
 * JS heap (`heapUsed` from `GET /`), the rate achieved and the windows received.
 *
 *   deno task bench:inc                     # 50,000 msgs/s for 30 s, both ways
 *   deno task bench:inc --rate 20000 --seconds 20
 *   deno task bench:inc --sql "…" --name inc-sliding   # another rule (see --sql below)
 *
 * Writes bench/results/<name>-*.json.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Cleanup, mosquittoVersion, ROOT, startMosquitto, startWeir } from "./lib/procs.ts";
import { ProcSampler, statusKb } from "./lib/proc_stats.ts";
import { type BenchClient, connect } from "./lib/load.ts";
import { fixed, int, machine, markdownTable, mib } from "./lib/report.ts";

const SEED_SQL = "select sum(b) from demo group by tumblingwindow(ss, 10) having avg(a) > 0";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rate: { type: "string", default: "50000" },
    seconds: { type: "string", default: "30" },
    // Another rule over the same `demo` stream (fields a = 1..100, b = 0..6, id), e.g. a
    // sliding window: --sql "select sum(b) from demo group by slidingwindow(ss, 10)
    // over (when a = 100) having avg(a) > 0" --name inc-sliding
    sql: { type: "string", default: SEED_SQL },
    name: { type: "string", default: "inc-window" },
  },
});
const RULE_SQL = values.sql;
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Publishes `rate` msgs/s for `seconds`: every 5 ms, the messages due by then. */
async function publishAt(client: BenchClient, rate: number, seconds: number): Promise<number> {
  const start = performance.now();
  const total = rate * seconds;
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) * rate / 1000));
    for (; i < due; i++) {
      client.publish("bench/in", `{"a":${(i % 100) + 1},"b":${i % 7},"id":${i}}`, { qos: 0 });
    }
    await client.drain();
    await sleep(5);
  }
  return total / ((performance.now() - start) / 1000);
}

interface Run {
  incremental: boolean;
  plan: string;
  publishRate: number;
  sourceRecordsIn: number;
  sourceDropped: number;
  windowsReceived: number;
  rssIdleKb: number;
  rssPeakKb: number;
  heapPeakMb: number;
  weirCpuPercent: number;
}

async function run(incremental: boolean): Promise<Run> {
  const cleanup = new Cleanup();
  try {
    const mosq = await startMosquitto(cleanup);
    const weir = await startWeir(cleanup, mosq.url);
    await weir.request("POST", "/streams", {
      sql: 'CREATE STREAM demo () WITH (DATASOURCE="bench/in", FORMAT="json")',
    });
    await weir.request("POST", "/rules", {
      id: "inc",
      sql: RULE_SQL,
      actions: [{ mqtt: { server: mosq.url, topic: "bench/out", qos: 0 } }],
      options: {
        bufferLength: 8192,
        planOptimizeStrategy: { enableIncrementalWindow: incremental },
      },
    });
    const plan = await (await fetch(`${weir.restUrl}/rules/inc/explain`)).text();
    let windows = 0;
    const sub = await connect(mosq.url, "bench-inc-sub");
    sub.on("message", () => windows++);
    await sub.subscribeAsync("bench/out", { qos: 0 });
    const pub = await connect(mosq.url, "bench-inc-pub");
    await sleep(1000);
    await weir.settled();
    const rssIdleKb = statusKb(weir.pid, "VmRSS");
    const sampler = new ProcSampler([weir.pid]);
    let heapPeak = 0;
    let sampling = true;
    const heapLoop = (async () => {
      while (sampling) {
        const info = await (await fetch(`${weir.restUrl}/`)).json() as { heapUsed: number };
        heapPeak = Math.max(heapPeak, info.heapUsed);
        await sleep(250);
      }
    })();
    sampler.start();
    const t0 = performance.now();
    const publishRate = await publishAt(pub, RATE, SECONDS);
    await sleep(11_000); // the last window closes
    sampler.stop();
    sampling = false;
    await heapLoop;
    const c = sampler.cpu(0, t0, performance.now());
    const status = await weir.request("GET", "/rules/inc/status") as Record<string, number>;
    await pub.endAsync(true);
    await sub.endAsync(true);
    return {
      incremental,
      plan,
      publishRate,
      sourceRecordsIn: status["source_demo_0_records_in_total"],
      sourceDropped: status["source_demo_0_exceptions_total"],
      windowsReceived: windows,
      rssIdleKb,
      rssPeakKb: sampler.peakRssKb(0),
      heapPeakMb: heapPeak / 1024 / 1024,
      weirCpuPercent: 100 * c.seconds / c.wallSeconds,
    };
  } finally {
    cleanup.runAll();
  }
}

const runs = [await run(false), await run(true)];
const result = {
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  mosquitto: mosquittoVersion(),
  sql: RULE_SQL,
  rate: RATE,
  seconds: SECONDS,
  runs,
};
const dir = join(ROOT, "bench", "results");
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, `${values.name}-${result.date}-r${RATE}-s${SECONDS}.json`),
  JSON.stringify(result, null, 2),
);
for (const r of runs) {
  console.log(`\n${r.incremental ? "incremental" : "ordinary"} plan:\n${r.plan}`);
}
console.log(markdownTable(
  [
    "enableIncrementalWindow",
    "publish msgs/s",
    "source in",
    "drops",
    "windows out",
    "Weir CPU %",
    "RSS idle",
    "RSS peak",
    "heap peak",
  ],
  runs.map((r) => [
    String(r.incremental),
    int(r.publishRate),
    int(r.sourceRecordsIn),
    int(r.sourceDropped),
    int(r.windowsReceived),
    fixed(r.weirCpuPercent, 0),
    mib(r.rssIdleKb),
    mib(r.rssPeakKb),
    `${fixed(r.heapPeakMb, 1)} MB`,
  ]),
));
