/**
 * Runs Weir as a real child process in an isolated home folder (its own etc/ and data/, its
 * own ports), the way a user runs it: tests kill it (SIGTERM or SIGKILL) and start it again.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "./ports.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);

export interface WeirOptions {
  /** Reuse a home folder (restart); a new temp folder when absent. */
  home?: string;
  /** Extra files to write under home, e.g. {"etc/sources/mqtt.yaml": "..."}. */
  files?: Record<string, string>;
  /** "off" or host:port of the embedded broker; default: a free port. */
  brokerAddr?: string;
  /** The mqtt source's default server (etc/sources/mqtt.yaml): a broker URL, or "embedded" for
   * this process's own broker; `mqttQos` the default qos (eKuiper's 1 when absent). */
  mqttServer?: string;
  mqttQos?: 0 | 1 | 2;
  restPort?: number;
  pushPort?: number;
  /** Command to run instead of `deno run -A main.ts` (e.g. Bun). */
  command?: string[];
}

export class WeirProcess {
  readonly log: string[] = [];
  private child!: Deno.ChildProcess;
  private exited!: Promise<Deno.CommandStatus>;

  private constructor(
    readonly home: string,
    readonly restPort: number,
    readonly pushPort: number,
    readonly brokerAddr: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.restPort}`;
  }

  /** The embedded broker's URL (unless it is off). */
  get brokerUrl(): string {
    return `mqtt://${this.brokerAddr}`;
  }

  static async start(opts: WeirOptions = {}): Promise<WeirProcess> {
    const home = opts.home ?? mkdtempSync(join(tmpdir(), "weir-e2e-"));
    for (const [rel, content] of Object.entries(opts.files ?? {})) {
      const p = join(home, rel);
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileSync(p, content);
    }
    const restPort = opts.restPort ?? await freePort();
    const pushPort = opts.pushPort ?? await freePort();
    const brokerAddr = opts.brokerAddr ?? `127.0.0.1:${await freePort()}`;
    if (opts.mqttServer !== undefined) {
      const server = opts.mqttServer === "embedded" ? `mqtt://${brokerAddr}` : opts.mqttServer;
      const qos = opts.mqttQos === undefined ? "" : `  qos: ${opts.mqttQos}\n`;
      const p = join(home, "etc", "sources", "mqtt.yaml");
      mkdirSync(join(p, ".."), { recursive: true });
      writeFileSync(p, `default:\n  server: "${server}"\n${qos}`);
    }
    const w = new WeirProcess(home, restPort, pushPort, brokerAddr);
    await w.spawn(opts.command);
    return w;
  }

  /** Starts the process again in the same home with the same ports. */
  async restart(command?: string[]): Promise<void> {
    await this.spawn(command);
  }

  private async spawn(command?: string[]): Promise<void> {
    const cmd = command ?? [Deno.execPath(), "run", "-A", join(ROOT, "main.ts")];
    this.child = new Deno.Command(cmd[0], {
      args: [...cmd.slice(1), "serve", "--dir", this.home],
      env: {
        WEIR_REST_ADDR: `127.0.0.1:${this.restPort}`,
        WEIR_PUSH_ADDR: `127.0.0.1:${this.pushPort}`,
        WEIR_BROKER_ADDR: this.brokerAddr,
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
      cwd: ROOT,
    }).spawn();
    this.exited = this.child.status;
    this.pipe(this.child.stdout);
    this.pipe(this.child.stderr);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${this.url}/ping`);
        await r.body?.cancel();
        if (r.ok) return;
      } catch { /* not up yet */ }
      const done = await Promise.race([this.exited, new Promise((r) => setTimeout(r, 50))]);
      if (done) throw new Error(`weir exited early:\n${this.log.join("\n")}`);
    }
    throw new Error(`weir did not become ready:\n${this.log.join("\n")}`);
  }

  private async pipe(stream: ReadableStream<Uint8Array>): Promise<void> {
    const dec = new TextDecoder();
    let rest = "";
    for await (const chunk of stream) {
      rest += dec.decode(chunk, { stream: true });
      const lines = rest.split("\n");
      rest = lines.pop()!;
      this.log.push(...lines);
    }
    if (rest) this.log.push(rest);
  }

  async kill(signal: "SIGTERM" | "SIGKILL"): Promise<Deno.CommandStatus> {
    try {
      this.child.kill(signal);
    } catch { /* already gone */ }
    return await this.exited;
  }

  async request(method: string, path: string, body?: unknown): Promise<{
    status: number;
    text: string;
    json: () => unknown;
  }> {
    const r = await fetch(this.url + path, {
      method,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      headers: body === undefined ? undefined : { "content-type": "application/json" },
    });
    const text = await r.text();
    return { status: r.status, text, json: () => JSON.parse(text) };
  }
}
