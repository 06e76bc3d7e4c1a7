/**
 * V8 heap figures of a child started with `--inspect=127.0.0.1:0`, read over the inspector
 * protocol (Chrome DevTools Protocol on a loopback WebSocket): force a full GC, then the used
 * and total JS heap. This separates live JS objects from what RSS also counts (code, the Deno
 * binary's pages, freed heap not yet returned to the OS) without profiling the process.
 */

export const INSPECT_ARGS = ["--inspect=127.0.0.1:0"];

/** The inspector URL Deno prints on stderr ("Debugger listening on ws://…"). */
export function inspectorUrl(log: string[]): string | undefined {
  for (const line of log) {
    const m = /Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export interface HeapUsage {
  usedKb: number;
  totalKb: number;
}

/** Sends CDP commands one at a time over one WebSocket. */
export class Inspector {
  private next = 1;
  private readonly pending = new Map<number, (msg: Record<string, unknown>) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as Record<string, unknown>;
      const done = typeof msg.id === "number" ? this.pending.get(msg.id) : undefined;
      if (done) {
        this.pending.delete(msg.id as number);
        done(msg);
      }
    };
  }

  static connect(url: string, timeoutMs = 5000): Promise<Inspector> {
    return new Promise((ok, fail) => {
      const ws = new WebSocket(url);
      const timer = setTimeout(() => {
        ws.close();
        fail(new Error(`inspector ${url}: no connection in ${timeoutMs} ms`));
      }, timeoutMs);
      ws.onopen = () => {
        clearTimeout(timer);
        ok(new Inspector(ws));
      };
      ws.onerror = () => {
        clearTimeout(timer);
        fail(new Error(`inspector ${url}: connection failed`));
      };
    });
  }

  send(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000) {
    const id = this.next++;
    return new Promise<Record<string, unknown>>((ok, fail) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        fail(new Error(`inspector: ${method} timed out`));
      }, timeoutMs);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        if (msg.error) fail(new Error(`inspector: ${method}: ${JSON.stringify(msg.error)}`));
        else ok((msg.result ?? {}) as Record<string, unknown>);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Full GC, then the JS heap's used and total size. */
  async heapAfterGc(): Promise<HeapUsage> {
    await this.send("HeapProfiler.collectGarbage");
    const r = await this.send("Runtime.getHeapUsage");
    return { usedKb: Number(r.usedSize) / 1024, totalKb: Number(r.totalSize) / 1024 };
  }

  close(): void {
    this.ws.close();
  }
}
