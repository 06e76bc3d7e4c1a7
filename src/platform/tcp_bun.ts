/**
 * {@link TcpSocket} over Bun's own sockets (`Bun.connect`, `Bun.listen`). Bun's socket does not
 * buffer: `write` hands the bytes to the operating system and says how many it took, so what
 * it did not take waits here until Bun reports `drain`. Each `data` chunk is a fresh buffer.
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

/** The part of Bun's socket used here. */
interface BunSocket {
  data: BunTcpSocket | undefined;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Bytes the operating system took; -1 when the socket is closed. */
  write(bytes: Uint8Array): number;
  pause(): void;
  resume(): void;
  /** Sends FIN; reading goes on. */
  shutdown(): void;
  end(): void;
  setNoDelay(on: boolean): boolean;
}

interface BunHandlers {
  open?(s: BunSocket): void;
  data(s: BunSocket, chunk: Uint8Array): void;
  drain(s: BunSocket): void;
  /** The peer sent FIN. */
  end(s: BunSocket): void;
  close(s: BunSocket, error?: Error): void;
  error(s: BunSocket, error: Error): void;
  connectError?(s: BunSocket, error: Error): void;
}

interface BunOptions {
  hostname: string;
  port: number;
  /** A peer's FIN does not end the socket: it is ended here once what waits is written. */
  allowHalfOpen: true;
  socket: BunHandlers;
}

interface BunRuntime {
  connect(o: BunOptions): Promise<BunSocket>;
  listen(o: BunOptions): {
    readonly port: number;
    stop(closeActive?: boolean): void;
  };
}

function bun(): BunRuntime {
  return (globalThis as unknown as { Bun: BunRuntime }).Bun;
}

class BunTcpSocket extends BaseTcpSocket {
  #s: BunSocket | undefined;
  /** What the operating system did not take of the last write; the rest waits for `drain`. */
  #rest: Uint8Array | undefined;
  /** Paused by the user (backpressure). */
  #paused = false;
  /** Paused after a large chunk until the event loop's immediates have run. */
  #yielding = false;

  /** Starts writing over `s`; false when the socket was destroyed before. */
  attach(s: BunSocket): boolean {
    if (this.closed) {
      s.end();
      return false;
    }
    this.#s = s;
    s.data = this;
    // Writes are already coalesced per turn; Nagle would only add delay.
    s.setNoDelay(true);
    this.remote = `${s.remoteAddress}:${s.remotePort}`;
    this.queueFlush();
    return true;
  }

  pause(): void {
    this.#paused = true;
    this.#s?.pause();
  }

  resume(): void {
    this.#paused = false;
    if (!this.#yielding) this.#s?.resume();
  }

  /** Called after each chunk: a large one pauses reading for a turn ({@link YIELD_AFTER_BYTES}). */
  afterData(size: number): void {
    if (size < YIELD_AFTER_BYTES || this.#yielding) return;
    this.#yielding = true;
    this.#s?.pause();
    setImmediate(() => {
      this.#yielding = false;
      if (!this.#paused && !this.closed) this.#s?.resume();
    });
  }

  protected release(): void {
    this.#rest = undefined;
    this.#s?.end();
  }

  protected canFlush(): boolean {
    return this.#s !== undefined && this.#rest === undefined;
  }

  /** Writes what waits, as far as the operating system takes it (also Bun's `drain`). */
  override flush(): void {
    const s = this.#s;
    if (!s || this.closed) return;
    for (;;) {
      const bytes = this.#rest ?? (this.outbox.empty ? undefined : this.outbox.take());
      if (!bytes) break;
      const n = Math.max(s.write(bytes), 0);
      this.#rest = n < bytes.length ? bytes.subarray(n) : undefined;
      this.outbox.written(n);
      if (this.#rest) return; // Bun calls drain when it can take more
    }
    if (this.ending && !this.shut) {
      this.shut = true;
      s.shutdown();
      this.shutDone();
    }
  }
}

/** Handlers shared by every socket of a listener or a connection: each finds its own
 * {@link BunTcpSocket} in the Bun socket's `data`. */
const handlers: BunHandlers = {
  data(s, chunk) {
    const socket = s.data;
    try {
      socket?.events.data(chunk);
      socket?.afterData(chunk.length);
    } catch (e) {
      // A handler's failure closes its socket, as under Deno; it must not reach Bun's loop.
      socket?.close(e);
    }
  },
  drain: (s) => s.data?.flush(),
  end: (s) => s.data?.peerEnded(),
  close: (s, error) => s.data?.close(error),
  error: (s, error) => s.data?.fail(error),
};

export function connectBun(host: string, port: number, events: TcpEvents): TcpSocket {
  const socket = new BunTcpSocket();
  socket.events = events;
  bun().connect({
    hostname: host,
    port,
    allowHalfOpen: true,
    socket: {
      ...handlers,
      open: (s) => {
        if (socket.attach(s)) events.open();
      },
      connectError: (_s, e) => socket.close(e),
    },
  }).catch((e) => socket.close(e));
  return socket;
}

export function listenBun(opts: ListenOptions): TcpListener {
  const server = bun().listen({
    hostname: opts.host,
    port: opts.port,
    allowHalfOpen: true,
    socket: {
      ...handlers,
      open(s) {
        const socket = new BunTcpSocket();
        socket.attach(s);
        socket.acceptedBy(opts);
      },
    },
  });
  return {
    port: server.port,
    close() {
      server.stop(false);
      return Promise.resolve();
    },
  };
}
