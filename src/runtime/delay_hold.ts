/**
 * `delay(ms, value)`: eKuiper sleeps in the rule's goroutine, so the rule takes no input and
 * sends nothing until the time has passed. Weir's scheduler never blocks, so a rule holds
 * instead: a turn that called `delay()` starts a hold of the total asked; while it lasts the rule
 * is not runnable and its results (the delaying row's included) wait here, then leave in order.
 * A rule that calls `delay()` reads one message per turn, so each row's delay comes before the
 * next row, as with eKuiper.
 *
 * @module
 */
import type { Row } from "./tuple.ts";

export interface DelayHoldDeps {
  now(): number;
  setTimer(at: number, fn: () => void): () => void;
  /** Sends results on to the sinks. */
  release(rows: Row[], now: number): void;
  /** The hold is over: the rule may run again. */
  wake(): void;
}

export class DelayHold {
  private requested = 0;
  private until = 0;
  private held: { rows: Row[]; now: number }[] = [];
  private cancel: (() => void) | undefined;

  constructor(private readonly deps: DelayHoldDeps) {}

  /** `delay(ms)` was called in this turn. */
  request(ms: number): void {
    if (ms > 0) this.requested += ms;
  }

  /** True while a hold runs: the rule must not take input. */
  get paused(): boolean {
    return this.until > 0;
  }

  /** Results of the rule: sent on, or held while a delay is asked for or running. */
  emit(rows: Row[], now: number): void {
    if (this.until > 0 || this.requested > 0) this.held.push({ rows, now });
    else this.deps.release(rows, now);
  }

  /** After each turn: starts the hold the turn's `delay()` calls asked for. */
  endTurn(): void {
    if (this.requested <= 0 || this.until > 0) return;
    this.until = this.deps.now() + this.requested;
    this.requested = 0;
    this.cancel = this.deps.setTimer(this.until, () => this.finish(true));
  }

  /** Rule stop: what is held leaves at once (it is not lost) and the timer is cancelled. */
  stop(): void {
    this.cancel?.();
    this.requested = 0;
    this.finish(false);
  }

  private finish(wake: boolean): void {
    this.until = 0;
    this.cancel = undefined;
    const held = this.held;
    this.held = [];
    for (const h of held) this.deps.release(h.rows, h.now);
    if (!wake) return;
    // Windows that fired during the hold may have asked for more.
    this.endTurn();
    this.deps.wake();
  }
}
