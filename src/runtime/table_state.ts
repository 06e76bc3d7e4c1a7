/**
 * The current content of a scan table: the latest `retainSize` rows its source produced
 * (eKuiper's `RETAIN_SIZE`), oldest first. Joins read a snapshot per emission.
 */
import type { Tuple } from "./tuple.ts";

export class TableState {
  private rows: Tuple[] = [];

  constructor(readonly retainSize: number) {}

  add(batch: Tuple[]): void {
    if (batch.length === 0) return;
    const all = this.rows.length === 0 ? batch.slice() : this.rows.concat(batch);
    this.rows = all.length > this.retainSize ? all.slice(all.length - this.retainSize) : all;
  }

  /** The rows now; the array is replaced, never mutated, so callers may keep it. */
  snapshot(): Tuple[] {
    return this.rows;
  }

  size(): number {
    return this.rows.length;
  }
}
