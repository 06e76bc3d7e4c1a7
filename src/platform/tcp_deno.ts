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
import {
  type ListenOptions,
  type TcpEvents,
  type TcpListener,
  type TcpSocket,
  YIELD_AFTER_BYTES,
} from "./tcp.ts";
import { BaseTcpSocket } from "./tcp_socket_base.ts";
import { setImmediate } from "node:timers";

/** Bytes asked of the socket per read. */
const READ_BYTES = 64 * 1024;

/** How long accepting waits after a failed accept (e.g. out of file descriptors). */
const ACCEPT_RETRY_MS = 100;

class DenoTcpSocket extends BaseTcpSocket {
  #conn: Deno.TcpConn | undefined;
  #paused = false;
  #wakeReader: (() => void) | undefined;
  #writing = false;

  /** Starts reading and writing over `conn`; false when the socket was destroyed before. */
  attach(conn: Deno.TcpConn): boolean {
    if (this.closed) {
      conn.close();
      return false;
    }
    this.#conn = conn;
    // Writes are already coalesced per turn; Nagle would only add delay.
    conn.setNoDelay(true);
    const addr = conn.remoteAddr;
    this.remote = `${addr.hostname}:${addr.port}`;
    this.#readLoop(conn);
    this.queueFlush();
    return true;
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

  protected release(): void {
    try {
      this.#conn?.close();
    } catch { /* already closed */ }
    this.resume(); // the read loop ends
  }

  async #readLoop(conn: Deno.TcpConn): Promise<void> {
    const buf = new Uint8Array(READ_BYTES);
    try {
      while (!this.closed) {
        if (this.#paused) {
          await new Promise<void>((resolve) => this.#wakeReader = resolve);
          continue;
        }
        const n = await conn.read(buf);
        if (this.closed) return;
        if (n === null) return this.peerEnded();
        this.events.data(buf.slice(0, n));
        if (n >= YIELD_AFTER_BYTES) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.close(e);
    }
  }

  protected canFlush(): boolean {
    return this.#conn !== undefined && !this.#writing;
  }

  protected async flush(): Promise<void> {
    const conn = this.#conn!;
    this.#writing = true;
    try {
      while (!this.outbox.empty && !this.closed) {
        const bytes = this.outbox.take();
        for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
        this.outbox.written(bytes.length);
      }
      if (this.ending && !this.shut && !this.closed) {
        this.shut = true;
        await conn.closeWrite();
        this.shutDone();
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
      socket.acceptedBy(opts);
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
