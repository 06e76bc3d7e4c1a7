/**
 * Shared vocabulary of the window engine: what an emitted window looks like, the predicate and
 * key shapes the planner compiles, and the contract every window kind implements internally.
 *
 * @module
 */
import type { Tuple } from "../tuple.ts";
import type { RowColumns } from "./row_columns.ts";

/**
 * One emitted window. `start`/`end` are epoch ms and feed `window_start()`/`window_end()`
 * (EvalContext.window). `rows` are in arrival order (event time: in event-time order). An empty
 * `rows` is a real, empty window: the runtime decides whether to send `[]` (omitIfEmpty).
 */
export interface WindowResult {
  start: number;
  end: number;
  /** Empty when the window holds its rows as `columns`. */
  rows: Tuple[];
  columns?: RowColumns;
}

/** A window's result from what its content gave. */
export function windowResult(start: number, end: number, rows: Tuple[] | RowColumns): WindowResult {
  return Array.isArray(rows) ? { start, end, rows } : { start, end, rows: [], columns: rows };
}

/** A compiled condition (`FILTER`, `OVER (WHEN ...)`, state conditions): only `true` matches. */
export type Predicate = (t: Tuple) => unknown;
/** A compiled `PARTITION BY` expression. */
export type KeyFn = (t: Tuple) => unknown;

/**
 * The time-driven state machine of one window kind. Time is whatever the operator says it is:
 * processing time (the injected clock) or the watermark. Rows are added in time order; before a
 * row is added the operator advances time to the row's timestamp, so every deadline that
 * precedes the row fires first.
 */
export interface WindowCore {
  /** Adds a row (time already advanced to `row.timestamp`); data-driven emissions go to `out`. */
  add(row: Tuple, out: WindowResult[]): void;
  /** Fires every deadline `<= time`. */
  advance(time: number, out: WindowResult[]): void;
  /** The earliest time at which `advance` would emit or change state, if any. */
  nextDeadline(): number | undefined;
  /** Rows currently held (metrics, memory bound tests). */
  size(): number;
  /** Plain JSON-serialisable state. Tuples are stored as they are (see the module doc). */
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** Thrown for a snapshot that does not fit the operator it is restored into. */
export class WindowStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WindowStateError";
  }
}

/** True when a condition matched; errors and non-boolean results count as "no match". */
export function matches(p: Predicate, t: Tuple, onError?: (message: string) => void): boolean {
  try {
    return p(t) === true;
  } catch (e) {
    onError?.((e as Error).message);
    return false;
  }
}
