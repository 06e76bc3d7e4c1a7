/**
 * State window `STATEWINDOW(begin, emit)` / `STATEWINDOW(cond)` with optional
 * `OVER (PARTITION BY ...)` (SPEC §5.2, eKuiper's window v2 state operator). Time plays no part.
 *
 * Two conditions: idle until a row matches `begin` (that row opens the window and is collected);
 * then every row is collected, and a row matching `emit` is collected, closes the window and
 * emits it. One condition: idle until a row matches; then each further matching row emits the
 * collected rows (without itself) and opens the next window with itself. `start`/`end` are the
 * timestamps of the opening and closing rows.
 *
 * Each partition key has its own state; a partition with nothing collected holds no memory. The
 * key is the JSON of the PARTITION BY values (eKuiper formats them with `%v`, so 1 and "1"
 * collide there; here they do not).
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import {
  type KeyFn,
  matches,
  type Predicate,
  type WindowCore,
  type WindowResult,
  WindowStateError,
} from "./types.ts";

export interface StateWindowConfig {
  begin: Predicate;
  emit?: Predicate;
  partitionBy?: KeyFn[];
  onError?: (message: string) => void;
}

interface Partition {
  start: number;
  rows: Tuple[];
}

interface StateState {
  partitions: [string, Partition][];
}

export class StateWindow implements WindowCore {
  /** Open windows by partition key; a key is present only while its window is open. */
  private open = new Map<string, Partition>();
  private held = 0;

  constructor(private readonly cfg: StateWindowConfig) {}

  add(row: Tuple, out: WindowResult[]): void {
    const key = this.keyOf(row);
    const p = this.open.get(key);
    const onError = this.cfg.onError;
    if (p === undefined) {
      if (matches(this.cfg.begin, row, onError)) {
        this.open.set(key, { start: row.timestamp, rows: [row] });
        this.held++;
      }
      return;
    }
    if (this.cfg.emit) {
      p.rows.push(row);
      this.held++;
      if (!matches(this.cfg.emit, row, onError)) return;
      out.push({ start: p.start, end: row.timestamp, rows: p.rows });
      this.held -= p.rows.length;
      this.open.delete(key);
      return;
    }
    if (matches(this.cfg.begin, row, onError)) {
      out.push({ start: p.start, end: row.timestamp, rows: p.rows });
      this.held -= p.rows.length - 1;
      p.rows = [row];
      p.start = row.timestamp;
    } else {
      p.rows.push(row);
      this.held++;
    }
  }

  private keyOf(row: Tuple): string {
    const keys = this.cfg.partitionBy;
    if (!keys || keys.length === 0) return "";
    const values = keys.map((k) => {
      try {
        return k(row) ?? null;
      } catch (e) {
        this.cfg.onError?.((e as Error).message);
        return null;
      }
    });
    try {
      return JSON.stringify(values);
    } catch {
      return String(values);
    }
  }

  advance(): void {}

  nextDeadline(): undefined {
    return undefined;
  }

  size(): number {
    return this.held;
  }

  /** Open windows, for metrics. */
  partitions(): number {
    return this.open.size;
  }

  snapshot(): StateState {
    return { partitions: [...this.open] };
  }

  restore(state: unknown): void {
    const s = state as StateState;
    if (!s || !Array.isArray(s.partitions)) throw new WindowStateError("bad state window state");
    this.open = new Map(
      s.partitions.map(([k, p]) => [k, { start: p.start, rows: p.rows.slice() }]),
    );
    this.held = 0;
    for (const p of this.open.values()) this.held += p.rows.length;
  }
}
