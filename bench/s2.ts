/**
 * S2: a 1 s tumbling-window average grouped by 100 ids, over MQTT.
 *
 *   deno run -A bench/s2.ts                      # 400,000 messages, flood
 *   deno run -A bench/s2.ts --messages 100000
 *   deno run -A bench/s2.ts --buffer-length 8192  # the rule's source buffer (default 1024)
 *
 * A private mosquitto on a free loopback port; Weir as a child process (fresh home, embedded
 * broker off) with stream `s` on `bench/in` and the rule
 *   SELECT id, avg(temperature) AS avg_t, count(*) AS c, window_end() AS we
 *   FROM s GROUP BY id, TUMBLINGWINDOW(ss, 1)
 * publishing each window's groups to `bench/out`. The N messages (`id` = i % 100) go to
 * `bench/in` as fast as the socket takes them; the subscriber adds up `c` over every result
 * row, so the run checks that every message was counted in exactly one window.
 *
 * Reported: messages/s (sent ÷ first send → last window with data), Weir's CPU µs per message
 * and CPU %, peak RSS, and the windows and rows received. Writes bench/results/s2-*.json.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Buffer } from "node:buffer";
import { Cleanup, mosquittoVersion, ROOT, startMosquitto, startWeir } from "./lib/procs.ts";
import { ProcSampler, statusKb } from "./lib/proc_stats.ts";
import { connect, makeWorkload, publishFlood, warmupPayload } from "./lib/load.ts";
import { fixed, int, machine, markdownTable, mib } from "./lib/report.ts";

const IN = "bench/in";
const OUT = "bench/out";
const STREAM_SQL = 'CREATE STREAM s () WITH (DATASOURCE="bench/in", FORMAT="json")';
const RULE_SQL = "SELECT id, avg(temperature) AS avg_t, count(*) AS c, window_end() AS we " +
  "FROM s GROUP BY id, TUMBLINGWINDOW(ss, 1)";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "400000" },
    "buffer-length": { type: "string" },
  },
});
const N = Number(values.messages);
if (!Number.isInteger(N) || N < 1) throw new Error(`--messages must be a positive integer`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Adds up the `c` of every row of every window emission. */
class WindowCounter {
  windows = 0;
  rows = 0;
  counted = 0;
  lastDataAt = 0;
  onMessage = (_topic: string, body: Buffer): void => {
    const rows = JSON.parse(body.toString()) as { id: number; c: number }[];
    this.windows++;
    for (const r of rows) {
      if (r.id === -1) continue; // warm-up rows
      this.rows++;
      this.counted += r.c;
      this.lastDataAt = performance.now();
    }
  };
}

const cleanup = new Cleanup();
try {
  const mosq = await startMosquitto(cleanup);
  const weir = await startWeir(cleanup, mosq.url);
  await weir.request("POST", "/streams", { sql: STREAM_SQL });
  await weir.request("POST", "/rules", {
    id: "s2",
    sql: RULE_SQL,
    actions: [{ mqtt: { server: mosq.url, topic: OUT, qos: 0 } }],
    options: values["buffer-length"] ? { bufferLength: Number(values["buffer-length"]) } : {},
  });
  const counter = new WindowCounter();
  const sub = await connect(mosq.url, "bench-s2-sub");
  sub.on("message", counter.onMessage);
  await sub.subscribeAsync(OUT, { qos: 0 });
  const pub = await connect(mosq.url, "bench-s2-pub");
  // Warm-up: the rule's subscription is live once a window with a warm-up row comes out.
  let warm = false;
  sub.on("message", (_t, b) => {
    if (b.toString().includes('"id":-1')) warm = true;
  });
  for (let i = 0; i < 100 && !warm; i++) {
    pub.publish(IN, warmupPayload(), { qos: 0 });
    await sleep(300);
  }
  if (!warm) throw new Error(`no warm-up window from Weir:\n${weir.log.slice(-20).join("\n")}`);
  await sleep(1500);
  const rssIdleKb = statusKb(weir.pid, "VmRSS");

  const w = makeWorkload(N);
  const sampler = new ProcSampler([weir.pid]);
  sampler.start();
  const p = await publishFlood(pub, IN, w);
  const deadline = performance.now() + 120_000;
  while (counter.counted < N && performance.now() < deadline) await sleep(50);
  await sleep(100);
  sampler.stop();
  const end = counter.lastDataAt;
  const seconds = (end - p.startAt) / 1000;
  const c = sampler.cpu(0, p.startAt, end);
  const status = await weir.request("GET", "/rules/s2/status") as Record<string, unknown>;
  const metric = (re: RegExp) =>
    Object.entries(status).filter(([k]) => re.test(k)).map(([, v]) => Number(v))[0] ?? NaN;
  const result = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    mosquitto: mosquittoVersion(),
    sql: RULE_SQL,
    sent: N,
    counted: counter.counted,
    loss: N - counter.counted,
    windows: counter.windows,
    rows: counter.rows,
    publishSeconds: (p.endAt - p.startAt) / 1000,
    seconds,
    throughput: N / seconds,
    weirCpuPercent: 100 * c.seconds / c.wallSeconds,
    weirCpuUsPerMessage: c.seconds * 1e6 / N,
    sourceRecordsIn: metric(/^source_s_0_records_in_total$/),
    sourceDropped: metric(/^source_s_0_exceptions_total$/),
    windowRecordsIn: metric(/^op_\d+_window_0_records_in_total$/),
    windowCloseUs: metric(/^op_\d+_aggregate_0_process_latency_us$/),
    rssIdleKb,
    rssPeakKb: sampler.peakRssKb(0),
    vmHwmKb: statusKb(weir.pid, "VmHWM"),
  };
  await pub.endAsync(true);
  await sub.endAsync(true);
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const tag = values["buffer-length"] ? `-buf${values["buffer-length"]}` : "";
  writeFileSync(join(dir, `s2-${result.date}-n${N}${tag}.json`), JSON.stringify(result, null, 2));
  console.log(markdownTable(
    [
      "msgs",
      "counted",
      "source drops",
      "msgs/s",
      "Weir CPU µs/msg",
      "Weir CPU %",
      "RSS idle",
      "RSS peak",
      "windows",
    ],
    [[
      int(N),
      int(result.counted),
      int(result.sourceDropped),
      int(result.throughput),
      fixed(result.weirCpuUsPerMessage, 2),
      fixed(result.weirCpuPercent, 0),
      mib(rssIdleKb),
      mib(result.rssPeakKb),
      int(result.windows),
    ]],
  ));
} finally {
  cleanup.runAll();
}
