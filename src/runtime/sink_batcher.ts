/**
 * `batchSize` + `lingerInterval`: rows of consecutive emissions are collected and handed on as
 * one emission when `batchSize` rows are there or `lingerInterval` ms passed since the first row
 * of the batch, whichever comes first (eKuiper's batch operator). One timer per batch, not per
 * row.
 *
 * @module
 */
import type { Row } from "./tuple.ts";

export class SinkBatcher {
  private rows: Row[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly batchSize: number,
    private readonly lingerMs: number,
    private readonly flush: (rows: Row[]) => void,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  add(rows: Row[]): void {
    for (const r of rows) {
      this.rows.push(r);
      if (this.batchSize > 0 && this.rows.length >= this.batchSize) this.emit();
    }
    if (this.rows.length > 0 && this.lingerMs > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.emit();
      }, this.lingerMs);
    }
  }

  /** Hands on what is collected now (rule stop). */
  emit(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.rows.length === 0) return;
    const batch = this.rows;
    this.rows = [];
    this.flush(batch);
  }

  /** Stops the timer; collected rows are dropped unless `emit()` was called first. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
