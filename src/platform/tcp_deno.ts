/**
 * {@link TcpSocket} over Deno's own sockets. Weir issues every read itself, and none while
 * paused, into one buffer; each read is then copied out into an array of its own (never written
 * again: payloads stay views into it). Cutting reads from 256 KiB slabs instead saved that copy
 * but cost more: each slab was memory mapped afresh and faulted in page by page (~10k page faults
 * per 400k messages), and one payload kept alive held its whole slab. Writes queued in one turn
 * go out as one write.
 *
 * @module
 */
import { HIGH_WATER, type ListenOptions, type TcpEvents, type TcpListener } from "./tcp.ts";
import type { TcpSocket } from "./tcp.ts";
import { Outbox } from "./tcp_outbox.ts";

/** Bytes asked of the socket per read. */
const READ_BYTES = 64 * 1024;
/** How long accepting waits after a failed accept (e.g. out of file descriptors). */
const ACCEPT_RETRY_MS = 100;

const IGNORE: TcpEvents = { open() {}, data() {}, drain() {}, close() {} };

class DenoTcpSocket implements TcpSocket {
  events: TcpEvents = IGNORE;
  remote = "";
  #conn: Deno.TcpConn | undefined;
  #closed = false;
  #failure: Error | undefined;
  #paused = false;
  #wakeReader: (() => void) | undefined;
  readonly #outbox = new Outbox(HIGH_WATER, () => this.events.drain());
  #writing = false;
  #flushQueued = false;
  #ending = false;
  /** FIN sent. */
  #shut = false;
  /** FIN received. */
  #peerEnded = false;

  get unsent(): number {
    return this.#outbox.unsent;
  }

  get ended(): boolean {
    return this.#ending || this.#closed;
  }

  /** Starts reading and writing over `conn`; false when the socket was destroyed before. */
  attach(conn: Deno.TcpConn): boolean {
    if (this.#closed) {
      conn.close();
      return false;
    }
    this.#conn = conn;
    // Writes are already coalesced per turn; Nagle would only add delay.
    conn.setNoDelay(true);
    const addr = conn.remoteAddr;
    this.remote = `${addr.hostname}:${addr.port}`;
    this.#readLoop(conn);
    this.#queueFlush();
    return true;
  }

  write(bytes: Uint8Array): boolean {
    if (this.ended) return false;
    const ok = this.#outbox.push(bytes);
    this.#queueFlush();
    return ok;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    const wake = this.#wakeReader;
    this.#wakeReader = undefined;
    wake?.();
  }

  end(): void {
    if (this.ended) return;
    this.#ending = true;
    this.#queueFlush();
  }

  destroy(): void {
    this.close();
  }

  close(e?: unknown): void {
    if (e !== undefined) this.#failure ??= e instanceof Error ? e : new Error(String(e));
    if (this.#closed) return;
    this.#closed = true;
    this.#outbox.clear();
    try {
      this.#conn?.close();
    } catch { /* already closed */ }
    this.resume();
    this.events.close(this.#failure);
  }

  async #readLoop(conn: Deno.TcpConn): Promise<void> {
    const buf = new Uint8Array(READ_BYTES);
    try {
      while (!this.#closed) {
        if (this.#paused) {
          await new Promise<void>((resolve) => this.#wakeReader = resolve);
          continue;
        }
        const n = await conn.read(buf);
        if (this.#closed) return;
        if (n === null) {
          // The peer closed its side: what waits is written, then the socket closes.
          this.#peerEnded = true;
          if (this.#shut) this.close();
          else if (!this.#ending) this.end();
          return;
        }
        const chunk = buf.slice(0, n);
        this.events.data(chunk);
      }
    } catch (e) {
      this.close(e);
    }
  }

  #queueFlush(): void {
    if (!this.#conn || this.#writing || this.#flushQueued) return;
    if (this.#outbox.empty && !this.#ending) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#writeLoop(this.#conn!);
    });
  }

  async #writeLoop(conn: Deno.TcpConn): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (!this.#outbox.empty && !this.#closed) {
        const bytes = this.#outbox.take();
        for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
        this.#outbox.written(bytes.length);
      }
      if (this.#ending && !this.#shut && !this.#closed) {
        this.#shut = true;
        await conn.closeWrite();
        if (this.#peerEnded) this.close();
      }
    } catch (e) {
      this.close(e);
    }
    this.#writing = false;
  }
}

export function connectDeno(host: string, port: number, events: TcpEvents): TcpSocket {
  const socket = new DenoTcpSocket();
  socket.events = events;
  Deno.connect({ hostname: host, port }).then((conn) => {
    if (socket.attach(conn)) events.open();
  }, (e) => socket.close(e));
  return socket;
}

export function listenDeno(opts: ListenOptions): TcpListener {
  const listener = Deno.listen({ hostname: opts.host, port: opts.port });
  let closed = false;
  const accepting = (async () => {
    while (!closed) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (closed) break;
        opts.acceptError?.(e as Error);
        await new Promise((r) => setTimeout(r, ACCEPT_RETRY_MS));
        continue;
      }
      const socket = new DenoTcpSocket();
      socket.attach(conn);
      try {
        socket.events = { open() {}, ...opts.accept(socket) };
      } catch (e) {
        socket.destroy();
        opts.acceptError?.(e as Error);
      }
    }
  })();
  return {
    port: listener.addr.port,
    async close() {
      closed = true;
      listener.close();
      // The port is free only once the pending accept has given the listener back.
      await accepting;
    },
  };
}
