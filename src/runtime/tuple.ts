/**
 * The unit of data flowing between operators.
 *
 * A Tuple is one decoded message of one stream: its fields (`message`), the source's metadata
 * (`meta`: MQTT topic, qos, messageId, ...) and its timestamp (processing time, or event time when
 * the rule uses it). Operators work on arrays of tuples (batches) and never await.
 *
 * @module
 */

import type { RowColumns } from "./windows/row_columns.ts";

/** A decoded row: field name -> value. Values are JSON values plus Uint8Array for bytea. */
export type Row = Record<string, unknown>;

export interface Tuple {
  /** Name of the stream (or alias) the tuple came from. */
  emitter: string;
  message: Row;
  meta: Row | undefined;
  /** Epoch milliseconds. */
  timestamp: number;
  /**
   * The rows of a group (eKuiper's GroupedTuples), set on the tuple that stands for a group
   * after GROUP BY or a window: aggregates read every row, plain columns read this tuple's
   * (the group's first row). Absent on plain rows, where aggregates see the row alone.
   */
  group?: Tuple[];
  /** A group whose rows a window held as columns: `rows` at `index` (set instead of `group`,
   * see `GroupOp.processColumns`). */
  columns?: GroupColumns;
  /**
   * A joined row: the message of each source (by its name in the rule, the alias when it has
   * one), undefined for the null side of an outer join. `message` then holds all of them
   * merged, the first source's value winning for a name several share (`SELECT *`).
   */
  parts?: Record<string, Row | undefined>;
  /** Values of the rule's hoisted analytic calls for this event (AnalyticFuncsPlan). */
  analytic?: unknown[];
  /** A folded group's aggregate results (`inc_agg_col_N` is `inc[N - 1]`), incremental
   * windows only. */
  inc?: unknown[];
  /** On a SHARED stream's shared tuple: the dispatch key by which the fan-out routed it. The
   * rules of that key it reached judged it there, so their filters pass it (`shared_fanout.ts`). */
  routedBy?: string;
}

export interface GroupColumns {
  rows: RowColumns;
  index: number[];
}

export function newTuple(
  emitter: string,
  message: Row,
  meta: Row | undefined,
  timestamp: number,
): Tuple {
  return { emitter, message, meta, timestamp };
}
