/**
 * Plain TCP over the runtime's own sockets: `Deno.connect`/`Deno.listen` under Deno,
 * `Bun.connect`/`Bun.listen` under Bun. Both runtimes also offer `node:net`, but through it
 * every read pays for a Node stream's bookkeeping, and in a Bun binary loading it costs ~6 MiB
 * of RSS (bench/RESULTS.md, session 9), more than the whole embedded broker.
 *
 * The same semantics on both: writes queued in one turn leave together (one system call per
 * socket and turn, however many packets were written), `write` reports congestion past a high
 * water mark and `drain` follows once the socket has taken half of it; `pause` stops reading;
 * `end` flushes, then half-closes, and the socket closes when the peer closes too; a peer's
 * end closes the socket (no half-open sockets are kept). A read chunk is never written again,
 * so views into it may be kept. A `data` handler that throws closes its socket with that error.
 * After a large chunk the event loop's immediates run before the next ({@link YIELD_AFTER_BYTES}).
 *
 * @module
 */
import { runtimeName } from "./runtime.ts";
import { connectDeno, listenDeno } from "./tcp_deno.ts";
import { connectBun, listenBun } from "./tcp_bun.ts";

export interface TcpEvents {
  /** Connected (connecting sockets only: an accepted socket is open when it is handed over). */
  open(): void;
  data(chunk: Uint8Array): void;
  /** Unsent bytes fell to half the high water mark after `write` returned false. */
  drain(): void;
  /** Once, whether the socket failed to connect or closed later; `error` says why, if known. */
  close(error?: Error): void;
}

export interface TcpSocket {
  /** The peer's "address:port" (empty until connected). */
  readonly remote: string;
  /** Bytes written but not yet taken by the operating system. */
  readonly unsent: number;
  /** `end` or `destroy` was called, or the socket closed: writes are refused. */
  readonly ended: boolean;
  /** Queues bytes (not to be changed afterwards); false once more than the high water mark is
   * unsent (wait for `drain`), and false, dropping them, once the socket has ended. */
  write(bytes: Uint8Array): boolean;
  /** Stops reading (backpressure); a read already in progress may still arrive. */
  pause(): void;
  resume(): void;
  /** Flushes, then half-closes; `close` follows once the peer closes its side. */
  end(): void;
  /** Closes at once; unsent bytes are dropped. */
  destroy(): void;
}

export interface TcpListener {
  /** The bound port (the one picked, when 0 was asked for). */
  readonly port: number;
  /** Stops accepting; sockets already accepted stay open. */
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** A new connection: the events for it. If it throws, that connection is closed. */
  accept(socket: TcpSocket): Omit<TcpEvents, "open">;
  /** A connection could not be accepted (e.g. out of file descriptors, or `accept` threw);
   * accepting goes on. */
  acceptError?(error: Error): void;
}

/** Unsent bytes above which `write` reports congestion. */
export const HIGH_WATER = 1024 * 1024;

/**
 * A read chunk at least this large is followed by a turn of the event loop's immediates (where
 * the rule scheduler runs) before the next `data`. While a socket holds data, Deno completes
 * reads without leaving its poll phase (a 4 MiB flood: 61 chunks in a row) and Bun hands over
 * several chunks per turn (7), so a flood was read far ahead of the rules consuming it. One
 * rule's full buffer paused the socket early; 100 rules on a SHARED stream, each given a
 * hundredth of the messages, held up to 100 × 1,024 of them: 150 MiB more RSS and twice the CPU
 * per message (bench/RESULTS.md, session 11). A smaller chunk means the socket was emptied.
 */
export const YIELD_AFTER_BYTES = 8 * 1024;

/** Connects to `host:port`; failure to connect is reported as `close(error)`. */
export function connectTcp(host: string, port: number, events: TcpEvents): TcpSocket {
  return runtimeName === "bun" ? connectBun(host, port, events) : connectDeno(host, port, events);
}

/** Listens on `host:port`; throws (with the system's `code`, e.g. EADDRINUSE) when it cannot. */
export function listenTcp(opts: ListenOptions): TcpListener {
  return runtimeName === "bun" ? listenBun(opts) : listenDeno(opts);
}
