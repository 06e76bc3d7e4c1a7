/**
 * `op_2_ratelimit`: source downsampling (eKuiper's RateLimitOp), before the decoder. Messages
 * are only kept, never decoded: at each interval tick the latest message goes on, or with
 * `mergeField` the latest message of every distinct value of that top-level field (read by a
 * partial JSON scan), as one {@link MergedMessage} whose frames the payload decoder merges.
 */
import type { RawMessage } from "../../io/types.ts";
import { NodeMetrics } from "../metrics.ts";
import type { Downsample } from "../source_props.ts";
import { type FieldKey, JsonFieldReader } from "./json_field.ts";

/** A downsampled message carrying the payloads to merge, oldest update first. */
export interface MergedMessage extends RawMessage {
  frames: Uint8Array[];
}

export function isMerged(m: RawMessage): m is MergedMessage {
  return (m as MergedMessage).frames !== undefined;
}

export class RateLimitOp {
  readonly metrics: NodeMetrics;
  readonly intervalMs: number;
  private latest: RawMessage | undefined;
  private readonly reader: JsonFieldReader | undefined;
  /** Latest message per merge key; re-inserted on update so iteration is by last update. */
  private readonly byKey = new Map<FieldKey, RawMessage>();

  constructor(readonly name: string, settings: Downsample) {
    this.metrics = new NodeMetrics(name);
    this.intervalMs = settings.intervalMs;
    this.reader = settings.mergeField ? new JsonFieldReader(settings.mergeField) : undefined;
  }

  /** True when messages are merged per field value (then the decoder is a payload decoder). */
  get merging(): boolean {
    return this.reader !== undefined;
  }

  /** Keeps one incoming message. A message whose merge field cannot be read is counted as
   * an exception and dropped. */
  ingest(msg: RawMessage): void {
    const m = this.metrics;
    m.recordsIn++;
    m.processed++;
    m.lastInvocation = msg.timestamp;
    const reader = this.reader;
    if (!reader) {
      this.latest = msg;
      return;
    }
    let key: FieldKey;
    try {
      key = reader.read(msg.payload ?? new Uint8Array());
    } catch (e) {
      m.error((e as Error).message, msg.timestamp);
      return;
    }
    this.byKey.delete(key);
    this.byKey.set(key, msg);
    this.latest = msg;
  }

  /** What the interval that just ended sends on, or undefined when nothing arrived. */
  flush(): RawMessage | undefined {
    const latest = this.latest;
    if (!latest) return undefined;
    this.latest = undefined;
    this.metrics.recordsOut++;
    if (!this.reader) return latest;
    const frames: Uint8Array[] = [];
    for (const m of this.byKey.values()) if (m.payload) frames.push(m.payload);
    this.byKey.clear();
    const merged: MergedMessage = {
      payload: latest.payload,
      meta: latest.meta,
      timestamp: latest.timestamp,
      frames,
    };
    return merged;
  }
}
