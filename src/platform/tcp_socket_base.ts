/**
 * What Deno's and Bun's {@link TcpSocket}s share: the unsent bytes ({@link Outbox}), writes
 * flushed once per turn, and the closing handshake (our FIN after what waits is written, the
 * socket closed once both sides have ended, or at once on `destroy`). A runtime's socket says
 * when it can write, writes, and releases its own resources.
 *
 * @module
 */
import { HIGH_WATER, type ListenOptions, type TcpEvents, type TcpSocket } from "./tcp.ts";
import { Outbox } from "./tcp_outbox.ts";

const IGNORE: TcpEvents = { open() {}, data() {}, drain() {}, close() {} };

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export abstract class BaseTcpSocket implements TcpSocket {
  events: TcpEvents = IGNORE;
  remote = "";
  protected readonly outbox = new Outbox(HIGH_WATER, () => this.events.drain());
  protected closed = false;
  /** `end` was called: write what waits, then send FIN. */
  protected ending = false;
  /** FIN sent. */
  protected shut = false;
  #peerEnded = false;
  #failure: Error | undefined;
  #flushQueued = false;

  get unsent(): number {
    return this.outbox.unsent;
  }

  get ended(): boolean {
    return this.ending || this.closed;
  }

  write(bytes: Uint8Array): boolean {
    if (this.ended) return false;
    const ok = this.outbox.push(bytes);
    this.queueFlush();
    return ok;
  }

  end(): void {
    if (this.ended) return;
    this.ending = true;
    this.queueFlush();
  }

  destroy(): void {
    this.close();
  }

  abstract pause(): void;
  abstract resume(): void;

  /** An accepted socket handed to its listener's `accept`; if that throws, the socket closes
   * and the listener hears of it through `acceptError`. */
  acceptedBy(opts: ListenOptions): void {
    try {
      this.events = { open() {}, ...opts.accept(this) };
    } catch (e) {
      this.destroy();
      opts.acceptError?.(toError(e));
    }
  }

  /** Remembers why the socket is failing; `close` reports it. */
  fail(e: unknown): void {
    this.#failure ??= toError(e);
  }

  /** Closes now (once), reporting `e` or an earlier failure. */
  close(e?: unknown): void {
    if (e !== undefined) this.fail(e);
    if (this.closed) return;
    this.closed = true;
    this.outbox.clear();
    this.release();
    this.events.close(this.#failure);
  }

  /** The peer sent FIN: what waits is written, then the socket closes (no half-open sockets). */
  peerEnded(): void {
    this.#peerEnded = true;
    if (this.shut) this.close();
    else if (!this.ending) this.end();
  }

  /** Our FIN went out (`shut` was set when it was sent). */
  protected shutDone(): void {
    if (this.#peerEnded) this.close();
  }

  /** Flushes at the end of this turn, so that the turn's writes leave together. */
  protected queueFlush(): void {
    if (this.#flushQueued || !this.canFlush()) return;
    if (this.outbox.empty && !this.ending) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.flush();
    });
  }

  /** Connected, and not already writing. */
  protected abstract canFlush(): boolean;
  /** Writes what waits; once everything is written while `ending`, sends FIN. */
  protected abstract flush(): void;
  /** Closes the runtime's socket. */
  protected abstract release(): void;
}
