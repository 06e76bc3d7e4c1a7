/**
 * The processes a benchmark run owns: a private mosquitto, Weir children (each in its own temp
 * folder, on loopback ports) and other Deno scripts (the hand-written baselines). Every process
 * and folder is registered with a `Cleanup` whose synchronous `runAll` (SIGKILL + rm) also runs
 * on the hard timeout and on Ctrl-C, so nothing outlives the benchmark.
 */
import { freePort, waitForPort } from "../../test/helpers/ports.ts";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { childPids, commandLine } from "./proc_stats.ts";
import { bundleForDeno } from "../../src/build/bundle.ts";
import { buildWithBun } from "../../src/build/build.ts";
import { selectTargets } from "../../src/build/targets.ts";

export const ROOT = resolve(new URL("../..", import.meta.url).pathname);

/** Synchronous undo actions, run in reverse order. */
export class Cleanup {
  private readonly actions = new Map<number, () => void>();
  private next = 0;

  add(fn: () => void): () => void {
    const id = this.next++;
    this.actions.set(id, fn);
    return () => void this.actions.delete(id);
  }

  runAll(): void {
    for (const id of [...this.actions.keys()].reverse()) {
      try {
        this.actions.get(id)!();
      } catch { /* best effort */ }
      this.actions.delete(id);
    }
  }
}

/**
 * Guards a benchmark run: past `timeoutS` seconds, or on SIGINT/SIGTERM, every cleanup action
 * runs (children killed, temp folders removed) and the process exits (3, or 130 when
 * interrupted). Returns the function that lifts the guard when the run ends normally.
 */
export function guardRun(name: string, timeoutS: number, cleanup: Cleanup): () => void {
  const hardTimer = setTimeout(() => {
    console.error(`${name}: hard timeout (${timeoutS} s) reached; killing children`);
    cleanup.runAll();
    Deno.exit(3);
  }, timeoutS * 1000);
  const onSignal = () => {
    console.error(`${name}: interrupted; cleaning up`);
    cleanup.runAll();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  return () => {
    clearTimeout(hardTimer);
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  };
}

/** What a benchmark's body gets from {@link runBenchmark}. */
export interface BenchmarkRun {
  cleanup: Cleanup;
  /** Starts the run's private mosquitto (stopped at the end; its log printed on failure). */
  startMosquitto(): Promise<Mosquitto>;
}

/**
 * The frame every benchmark runs in: guarded by its hard timeout and signals ({@link guardRun}),
 * its children and temp folders removed at the end, whatever happened. A thrown error prints its
 * stack and mosquitto's log and gives exit code 1; otherwise the body's exit code.
 */
export async function runBenchmark(
  name: string,
  timeoutS: number,
  body: (run: BenchmarkRun) => Promise<number>,
): Promise<number> {
  const cleanup = new Cleanup();
  const unguard = guardRun(name, timeoutS, cleanup);
  let mosq: Mosquitto | undefined;
  try {
    return await body({
      cleanup,
      startMosquitto: async () => mosq = await startMosquitto(cleanup),
    });
  } catch (e) {
    console.error(`${name} failed: ${(e as Error).stack ?? e}`);
    if (mosq?.log.length) console.error(`mosquitto log:\n${mosq.log.join("\n")}`);
    return 1;
  } finally {
    await mosq?.stop();
    cleanup.runAll();
    unguard();
  }
}

export { freePort };

/** The bundle `deno compile` embeds (src/build/bundle.ts), to run under `deno run`: the closest
 * this machine gets to the Deno binary without Deno's `denort`. */
export async function bundleWeir(cleanup: Cleanup): Promise<string> {
  const out = join(tempDir(cleanup, "weir-bench-bundle-"), "weir.mjs");
  await bundleForDeno(out);
  return out;
}

/** The Bun binary `deno task build` makes for this machine's architecture, built into a temp
 * folder (the Bun runtime is fetched once into dist/.bun-runtimes). */
export async function bunBinaryWeir(cleanup: Cleanup): Promise<string> {
  const [target] = selectTargets([Deno.build.arch === "aarch64" ? "linux-arm64" : "linux-x64"]);
  return await buildWithBun(target, {
    outDir: tempDir(cleanup, "weir-bench-binary-"),
    cacheDir: join(ROOT, "dist", ".bun-runtimes"),
  });
}

/** What runs Weir in a benchmark (`--program`). */
export type WeirProgram = "source" | "bundle" | "bun";

export function weirProgram(value: string | undefined): WeirProgram {
  if (value === "source" || value === "bundle" || value === "bun") return value;
  throw new Error(`--program must be source, bundle or bun, got ${value}`);
}

/** The path {@link startWeir} runs for `program`, built first for the bundle and the binary. */
export async function programPath(program: WeirProgram, cleanup: Cleanup): Promise<string> {
  if (program === "bundle") return await bundleWeir(cleanup);
  if (program === "bun") return await bunBinaryWeir(cleanup);
  return join(ROOT, "main.ts");
}

function tempDir(cleanup: Cleanup, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Keeps the last `max` lines of a child's output (for error reports), never more, and passes
 * each line to `onLine`.
 */
function tail(
  stream: ReadableStream<Uint8Array>,
  lines: string[],
  onLine: (line: string) => void = () => {},
  max = 200,
): void {
  (async () => {
    const dec = new TextDecoder();
    let rest = "";
    for await (const chunk of stream) {
      rest += dec.decode(chunk, { stream: true });
      const parts = rest.split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
      parts.forEach(onLine);
      if (lines.length > max) lines.splice(0, lines.length - max);
    }
    if (rest) {
      lines.push(rest);
      onLine(rest);
    }
  })().catch(() => {});
}

async function stopChild(child: Deno.ChildProcess, graceMs: number): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch { /* gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, graceMs);
  await child.status;
  clearTimeout(timer);
}

/** A spawned child registered with the cleanup, its output tailed into `log`. */
interface Owned {
  child: Deno.ChildProcess;
  log: string[];
  exited(): boolean;
  /** SIGTERM, SIGKILL after `graceMs`; then the cleanup no longer needs to kill it. */
  stop(graceMs: number): Promise<void>;
}

function spawnOwned(
  cleanup: Cleanup,
  command: string,
  options: Deno.CommandOptions,
  onStdoutLine?: (line: string) => void,
  /** The last lines of output kept in `log`. */
  logLines = 200,
): Owned {
  const child = new Deno.Command(command, options).spawn();
  const unKill = cleanup.add(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  });
  let exited = false;
  child.status.then(() => exited = true);
  const log: string[] = [];
  if (options.stdout === "piped") tail(child.stdout, log, onStdoutLine, logLines);
  if (options.stderr === "piped") tail(child.stderr, log, undefined, logLines);
  return {
    child,
    log,
    exited: () => exited,
    async stop(graceMs) {
      await stopChild(child, graceMs);
      unKill();
    },
  };
}

export function mosquittoVersion(): string {
  try {
    const out = new Deno.Command("mosquitto", { args: ["-h"], stdout: "piped", stderr: "piped" })
      .outputSync();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return /mosquitto version (\S+)/.exec(text)?.[1] ?? "unknown";
  } catch {
    throw new Error("mosquitto is not on PATH (apt-get install mosquitto)");
  }
}

export interface Mosquitto {
  port: number;
  url: string;
  pid: number;
  log: string[];
  stop(): Promise<void>;
}

export async function startMosquitto(cleanup: Cleanup): Promise<Mosquitto> {
  const port = await freePort();
  const dir = tempDir(cleanup, "weir-bench-mosq-");
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence false",
      // A QoS 0 flood must not be cut by the broker's per-client queue limit.
      "max_queued_messages 1000000",
      "max_queued_bytes 0",
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "",
    ].join("\n"),
  );
  const p = spawnOwned(cleanup, "mosquitto", {
    args: ["-c", conf],
    stdout: "null",
    stderr: "piped",
  });
  await waitForPort(port, 10_000, p.exited);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    pid: p.child.pid,
    log: p.log,
    stop: () => p.stop(3000),
  };
}

export interface WeirChild {
  pid: number;
  restUrl: string;
  /** The Weir home folder (fresh, removed by the cleanup). */
  home: string;
  /** performance.now() just before the spawn, and at the first successful GET /ping. */
  spawnedAt: number;
  readyAt: number;
  log: string[];
  /** JSON request; throws on a non-2xx answer. */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Resolves once Weir's one-off settling after start is over (see {@link SETTLED_AFTER_MS}):
   * a measured window must begin after it. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Weir settles 1 s after REST-ready (src/app.ts): the start-up JIT policy ends and a
 * last-resort GC hands the start-up's memory back, shrinking the young generation. A flood
 * that started before it (S3-100's rules were created and warmed up within that second) paid
 * for the collection and for regrowing the young generation inside its measured window.
 */
const SETTLED_AFTER_MS = 1500;

/**
 * `deno run -A main.ts serve` in a fresh home, broker off, MQTT confKey → `brokerUrl`.
 * `denoArgs` go before the script (e.g. `--inspect=127.0.0.1:0`, `--v8-flags=--trace-gc`).
 * A `program` that is not a `.ts`/`.mjs` script is an executable (the Bun binary), run as is.
 * `pollMs` is the /ping retry interval: small when start-to-ready time is what is measured.
 */
export async function startWeir(
  cleanup: Cleanup,
  brokerUrl: string,
  denoArgs: string[] = [],
  pollMs = 50,
  /** main.ts, a bundle of it (see {@link bundleWeir}) or a binary ({@link bunBinaryWeir}). */
  program = join(ROOT, "main.ts"),
  /** The last lines of Weir's output kept in its `log` (more for V8 traces). */
  logLines = 200,
): Promise<WeirChild> {
  const home = tempDir(cleanup, "weir-bench-home-");
  mkdirSync(join(home, "etc", "sources"), { recursive: true });
  writeFileSync(
    join(home, "etc", "sources", "mqtt.yaml"),
    `default:\n  server: "${brokerUrl}"\n  qos: 0\n`,
  );
  const restPort = await freePort();
  const pushPort = await freePort();
  const spawnedAt = performance.now();
  const script = /\.(ts|mjs)$/.test(program);
  const p = spawnOwned(
    cleanup,
    script ? Deno.execPath() : program,
    {
      args: [...(script ? ["run", "-A", ...denoArgs, program] : []), "serve", "--dir", home],
      env: {
        WEIR_REST_ADDR: `127.0.0.1:${restPort}`,
        WEIR_PUSH_ADDR: `127.0.0.1:${pushPort}`,
        WEIR_BROKER_ADDR: "off",
        NO_COLOR: "1",
      },
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    },
    undefined,
    logLines,
  );
  const log = p.log;
  const restUrl = `http://127.0.0.1:${restPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (p.exited()) throw new Error(`weir exited during startup:\n${log.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`weir did not answer /ping:\n${log.join("\n")}`);
    try {
      const r = await fetch(`${restUrl}/ping`);
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const readyAt = performance.now();
  return {
    pid: p.child.pid,
    restUrl,
    home,
    spawnedAt,
    readyAt,
    log,
    async request(method, path, body) {
      const r = await fetch(restUrl + path, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        signal: AbortSignal.timeout(10_000),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${text}`);
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    },
    settled: () => sleepUntil(readyAt + SETTLED_AFTER_MS),
    stop: () => p.stop(5000),
  };
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
}

export interface ScriptChild {
  pid: number;
  log: string[];
  stop(): Promise<void>;
}

/**
 * `deno run -A <script> <args…>` from the checkout's root (so it resolves the same npm
 * packages), resolved once the script prints a line matching `ready` on stdout. `deno run`
 * executes the script in the process it starts, checked here: that pid's CPU and memory are the
 * script's.
 */
export async function startDenoScript(
  cleanup: Cleanup,
  script: string,
  args: string[],
  ready: RegExp,
  timeoutMs = 30_000,
): Promise<ScriptChild> {
  let isReady = false;
  const p = spawnOwned(cleanup, Deno.execPath(), {
    args: ["run", "-A", join(ROOT, script), ...args],
    env: { NO_COLOR: "1" },
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }, (line) => isReady ||= ready.test(line));
  const deadline = Date.now() + timeoutMs;
  while (!isReady) {
    if (p.exited() || Date.now() > deadline) {
      await p.stop(1000);
      throw new Error(
        `${script} ${p.exited() ? "exited" : "timed out"} before printing ${ready}:\n` +
          p.log.join("\n"),
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const pid = p.child.pid;
  const cmd = commandLine(pid);
  if (!cmd.includes(script) || childPids(pid).length > 0) {
    await p.stop(1000);
    throw new Error(`pid ${pid} is not the process running ${script}: ${cmd}`);
  }
  return { pid, log: p.log, stop: () => p.stop(5000) };
}
