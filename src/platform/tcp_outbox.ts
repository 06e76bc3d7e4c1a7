/**
 * A socket's unsent bytes: what was written in the current turn (joined into one array when
 * the socket flushes) and what the operating system has not taken yet, with the congestion
 * state that `write`'s result and the `drain` event report.
 *
 * @module
 */
import { concat } from "../util/bytes.ts";

export class Outbox {
  #parts: Uint8Array[] = [];
  #queued = 0;
  #unsent = 0;
  #congested = false;

  constructor(private readonly highWater: number, private readonly onDrain: () => void) {}

  /** Bytes written and not yet taken by the operating system. */
  get unsent(): number {
    return this.#unsent;
  }

  /** Nothing waits to be taken. */
  get empty(): boolean {
    return this.#queued === 0;
  }

  /** Queues `bytes`; false while congested. */
  push(bytes: Uint8Array): boolean {
    this.#parts.push(bytes);
    this.#queued += bytes.length;
    this.#unsent += bytes.length;
    if (this.#unsent > this.highWater) this.#congested = true;
    return !this.#congested;
  }

  /** Everything queued, as one array (the caller reports what it wrote with `written`). */
  take(): Uint8Array {
    const parts = this.#parts;
    const bytes = parts.length === 1 ? parts[0] : concat(parts, this.#queued);
    this.#parts = [];
    this.#queued = 0;
    return bytes;
  }

  /** `n` bytes reached the operating system. */
  written(n: number): void {
    this.#unsent -= n;
    if (this.#congested && this.#unsent <= this.highWater / 2) {
      this.#congested = false;
      this.onDrain();
    }
  }

  /** Drops everything (the socket closed). */
  clear(): void {
    this.#parts = [];
    this.#queued = 0;
    this.#unsent = 0;
  }
}
