/**
 * Event time: sets each tuple's timestamp from the stream's `TIMESTAMP` column, before the
 * window (eKuiper's preprocessor). Numbers are epoch milliseconds; strings are read with the
 * stream's `TIMESTAMP_FORMAT` (eKuiper's Java-like pattern, wall-clock time in
 * `basic.timezone`), else as epoch digits or ISO 8601/RFC 3339. A missing or
 * unreadable timestamp is a per-record error counted on the decoder (eKuiper does the same)
 * and the row is dropped: a row without a time cannot be placed in a window.
 */
import { parseTime } from "../../functions/_time_parse.ts";
import type { NodeMetrics } from "../metrics.ts";
import type { OpContext } from "../operator.ts";
import type { Tuple } from "../tuple.ts";

function toEpochMs(v: unknown, format: string | undefined): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && format) {
    try {
      return parseTime(v, format);
    } catch {
      return undefined;
    }
  }
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    if (Number.isFinite(n)) return Math.trunc(n);
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  if (v instanceof Date) return v.getTime();
  return undefined;
}

export class EventTimeStamper {
  constructor(
    private readonly field: string,
    private readonly format: string | undefined,
    private readonly metrics: NodeMetrics,
  ) {}

  /** Stamps the tuples in place; returns those that have a valid time. */
  process(batch: Tuple[], ctx: OpContext): Tuple[] {
    const out: Tuple[] = [];
    for (const t of batch) {
      const ms = toEpochMs(t.message[this.field], this.format);
      if (ms === undefined) {
        ctx.error(
          this.metrics,
          `cannot find timestamp field ${this.field} or its value is not a time: ${
            JSON.stringify(t.message[this.field] ?? null)
          }`,
        );
        continue;
      }
      t.timestamp = ms;
      out.push(t);
    }
    return out;
  }
}
