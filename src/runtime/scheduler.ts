/**
 * The pull-based scheduler. Sources never call into operators: they append to bounded buffers
 * and `wake` the task (a running rule) that reads them. The scheduler runs runnable tasks
 * round-robin, each for at most one batch per turn, synchronously, and yields to the event loop
 * between rounds so I/O keeps flowing. A task that cannot make progress (its sink queues are
 * full) reports no work and is woken again by the sink when it drains: that is how
 * backpressure reaches the source buffers. Timers (window ends, ticks) run in the same loop.
 */
import { setImmediate } from "node:timers";

export interface Task {
  /** True when the task has input and room for output. */
  runnable(): boolean;
  /** Processes at most one batch. Must not throw (record errors in metrics instead). */
  runOnce(): void;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** How long one loop turn may run before yielding to I/O, ms. */
const TURN_BUDGET_MS = 20;
/** Tasks run between two reads of the clock against that budget. */
const CLOCK_EVERY = 8;

export class Scheduler {
  private readonly queue: Task[] = [];
  private readonly queued = new Set<Task>();
  private scheduled = false;

  constructor(readonly clock: Clock = systemClock) {}

  /** Marks a task as possibly runnable; the loop checks `runnable()` before running it. */
  wake(task: Task): void {
    if (this.queued.has(task)) return;
    this.queued.add(task);
    this.queue.push(task);
    this.schedule();
  }

  /** Runs `fn` at or after `at` (epoch ms) inside the loop; returns a cancel function. */
  addTimer(at: number, fn: () => void): () => void {
    const delay = Math.max(0, at - this.clock.now());
    const handle = setTimeout(fn, delay);
    return () => clearTimeout(handle);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.loop());
  }

  private loop(): void {
    this.scheduled = false;
    const deadline = performance.now() + TURN_BUDGET_MS;
    // The clock is read every few tasks: with many rules, most turns are short.
    let sinceCheck = 0;
    while (this.queue.length > 0) {
      // Round-robin: one batch per task per round; tasks with more work go to the back.
      const task = this.queue.shift()!;
      this.queued.delete(task);
      if (!task.runnable()) continue;
      task.runOnce();
      if (task.runnable()) {
        this.queued.add(task);
        this.queue.push(task);
      }
      if (++sinceCheck === CLOCK_EVERY) {
        sinceCheck = 0;
        if (performance.now() > deadline) break;
      }
    }
    if (this.queue.length > 0) this.schedule();
  }
}
