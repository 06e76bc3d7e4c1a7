/**
 * Where Weir spends its CPU during the S1 flood: a V8 CPU profile of the Weir process, taken
 * over the inspector while N messages go through `SELECT id, temperature, ts FROM s WHERE
 * temperature > 30`, summarised as self time by function and by origin (Weir's code, npm
 * packages, Deno's runtime, native/GC).
 *
 *   deno task bench:profile                       # 200,000 messages
 *   deno task bench:profile --messages 100000 --top 40 --sql "SELECT ..."
 *   deno task bench:profile --rules 10            # S3's shape: 10 rules on a SHARED stream
 *   deno task bench:profile --incremental --sql "…" # with enableIncrementalWindow
 *   deno task bench:profile --rate 2000 --messages 20000  # paced, as S1's latency phase
 *   deno task bench:profile --alloc               # where the bytes are allocated, not the time
 *
 * Writes the raw profile to bench/results/profile-<date>.cpuprofile (open it in Chrome
 * DevTools or speedscope). Profiling itself costs CPU: compare shares, not absolute times.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Cleanup, guardRun, ROOT, startMosquitto, startWeir } from "./lib/procs.ts";
import { s3RuleSql, streamSql } from "./lib/s3_shape.ts";
import { INSPECT_ARGS, Inspector, inspectorUrl } from "./lib/inspector.ts";
import {
  connect,
  Counter,
  makeWorkload,
  publishWorkload,
  subscribe,
  warmupPayload,
} from "./lib/load.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const S1_SQL = "SELECT id, temperature, ts FROM s WHERE temperature > 30";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    messages: { type: "string", default: "200000" },
    top: { type: "string", default: "30" },
    sql: { type: "string", default: S1_SQL },
    rules: { type: "string", default: "1" },
    incremental: { type: "boolean", default: false },
    alloc: { type: "boolean", default: false },
    rate: { type: "string" },
    timeout: { type: "string", default: "300" },
  },
});
/** With --rules R > 1: S3's shape, R rules on a SHARED stream, rule k keeping `id % R = k`. */
const RULES = Number(values.rules);
if (!(Number.isInteger(RULES) && RULES >= 1 && RULES <= 100)) {
  // No rule would answer the warm-up: the profile would wait for it until --timeout.
  throw new Error("--rules: an integer from 1 (the S1 rule, --sql) to 100");
}
const N = Number(values.messages);
const TOP = Number(values.top);

/** HeapProfiler.stopSampling's result: a call tree with the bytes allocated at each node
 * (sampled, garbage included). */
interface AllocNode {
  callFrame: CallFrame;
  selfSize: number;
  children: AllocNode[];
}

function frameKey(f: CallFrame): string {
  const file = f.url.replace(`file://${ROOT}/`, "").replace(/^.*node_modules\//, "");
  return `${f.functionName || "(anonymous)"}  ${file}:${f.lineNumber + 1}`;
}

/** Bytes allocated per message, by allocating function and by its caller. */
function summariseAlloc(head: AllocNode, messages: number): string {
  const fns = new Map<string, number>();
  let total = 0;
  const walk = (n: AllocNode, parent: string) => {
    if (n.selfSize > 0) {
      const key = `${frameKey(n.callFrame)}  <- ${parent}`;
      fns.set(key, (fns.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c, frameKey(n.callFrame));
  };
  walk(head, "");
  const per = (b: number) => `${(b / messages).toFixed(0).padStart(6)} B/msg`;
  const lines = [`allocated (sampled): ${per(total)}`, "", `top ${TOP} allocation sites:`];
  for (const [k, b] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    lines.push(`${per(b)}  ${k}`);
  }
  return lines.join("\n");
}

/** Which part of the process a frame belongs to. */
function origin(url: string, name: string): string {
  if (url === "") return name.startsWith("(") ? name : "native";
  if (url.includes("/node_modules/") || url.startsWith("npm:")) {
    const m = /node_modules\/(?:\.deno\/)?((?:@[^/]+\/)?[^/@]+)/.exec(url);
    return `npm ${m ? m[1] : "?"}`;
  }
  if (url.startsWith("ext:deno_node") || url.startsWith("node:")) return "deno node compat";
  if (url.startsWith("ext:")) return "deno runtime";
  if (url.startsWith("file://")) return "weir";
  return url;
}

function summarise(p: CpuProfile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  let total = 0;
  const fns = new Map<string, number>();
  const origins = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const name = f.functionName || "(anonymous)";
    if (name === "(idle)" || name === "(program)") continue;
    total += us;
    const key = frameKey(f);
    fns.set(key, (fns.get(key) ?? 0) + us);
    const o = origin(f.url, name);
    origins.set(o, (origins.get(o) ?? 0) + us);
  }
  const pct = (us: number) => `${(100 * us / total).toFixed(1).padStart(5)} %`;
  const lines = [`busy (not idle) self time: ${(total / 1000).toFixed(0)} ms`, "", "by origin:"];
  for (const [o, us] of [...origins].sort((a, b) => b[1] - a[1])) lines.push(`${pct(us)}  ${o}`);
  lines.push("", `top ${TOP} functions by self time:`);
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    lines.push(`${pct(us)}  ${k}`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const unguard = guardRun("profile", Number(values.timeout), cleanup);
  try {
    const mosq = await startMosquitto(cleanup);
    const weir = await startWeir(cleanup, mosq.url, INSPECT_ARGS);
    await weir.request("POST", "/streams", { sql: streamSql(RULES > 1) });
    for (let k = 0; k < RULES; k++) {
      await weir.request("POST", "/rules", {
        id: `p${k}`,
        sql: RULES > 1 ? s3RuleSql(RULES, k) : values.sql,
        actions: [{ mqtt: { server: mosq.url, topic: "bench/out", qos: 0 } }],
        options: values.incremental
          ? { planOptimizeStrategy: { enableIncrementalWindow: true } }
          : {},
      });
    }
    const counter = new Counter(false);
    const sub = await subscribe(mosq.url, "bench-prof-sub", "bench/out", counter);
    const pub = await connect(mosq.url, "bench-prof-pub");
    // Warm up until a result comes out (the rule's subscription is live).
    // (id -1 matches no `id % R = k` rule: rule 0's id, then.)
    const warmup = () => RULES > 1 ? warmupPayload().replace('"id":-1', '"id":0') : warmupPayload();
    while (counter.received === 0) {
      pub.publish("bench/in", warmup());
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    await weir.settled();
    counter.reset();
    const url = inspectorUrl(weir.log);
    if (!url) throw new Error("no inspector URL in Weir's output");
    const insp = await Inspector.connect(url);
    if (values.alloc) {
      await insp.send("HeapProfiler.enable");
      await insp.send("HeapProfiler.startSampling", {
        samplingInterval: 512,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    } else {
      await insp.send("Profiler.enable");
      await insp.send("Profiler.setSamplingInterval", { interval: 200 });
      await insp.send("Profiler.start");
    }
    const w = makeWorkload(N);
    const published = publishWorkload(
      pub,
      "bench/in",
      w,
      values.rate ? Number(values.rate) : undefined,
    );
    if (values.sql === S1_SQL || RULES > 1) {
      await counter.waitFor(w.expected, published, 3000, 120_000);
    } else {
      // Another rule (a window, say): all sent, then time for its last results.
      await published;
      await new Promise((r) => setTimeout(r, 2500));
    }
    let report: string;
    if (values.alloc) {
      const { profile } = await insp.send("HeapProfiler.stopSampling") as {
        profile: { head: AllocNode };
      };
      report = `${counter.received} results of ${w.expected} expected\n\n` +
        summariseAlloc(profile.head, N);
    } else {
      const { profile } = await insp.send("Profiler.stop") as { profile: CpuProfile };
      const dir = join(ROOT, "bench", "results");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `profile-${new Date().toISOString().slice(0, 10)}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      report = `${counter.received} results of ${w.expected} expected; profile in ${file}\n\n` +
        summarise(profile);
    }
    insp.close();
    await pub.endAsync(true);
    await sub.endAsync(true);
    console.log(report);
    await weir.stop();
  } finally {
    unguard();
    cleanup.runAll();
  }
}

await main();
