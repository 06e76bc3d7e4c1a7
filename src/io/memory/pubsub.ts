/**
 * In-process topic pub/sub: the `memory` sink publishes rows, `memory` sources subscribe with
 * MQTT-style filters (`+`, `#`). This is how rule pipelines chain without a broker.
 *
 * Delivery is synchronous: `publish` calls every matching subscriber before it returns, so a
 * row reaches the downstream source's bounded buffer (whose policy decides on overflow) within
 * the publishing sink's `collect`. Rows are handed over as they are; subscribers must not
 * mutate them (the memory source copies before emitting).
 *
 * @module
 */
import type { Row } from "../../runtime/tuple.ts";
import { effectiveFilter, hasWildcard, topicMatches } from "../topic.ts";

export type MemoryCallback = (row: Row, topic: string) => void;

interface Subscription {
  filter: string;
  cb: MemoryCallback;
}

export class MemoryPubSub {
  // Exact filters are looked up by topic; only wildcard filters are scanned per publish.
  #exact = new Map<string, Set<Subscription>>();
  #wild = new Set<Subscription>();

  /** Delivers each row to every subscriber whose filter matches `topic`. Returns how many
   * subscriptions received it. A throwing subscriber does not stop delivery to the others. */
  publish(topic: string, data: Row | Row[]): number {
    const targets: Subscription[] = [];
    const exact = this.#exact.get(topic);
    if (exact) targets.push(...exact);
    for (const s of this.#wild) if (topicMatches(s.filter, topic)) targets.push(s);
    if (targets.length === 0) return 0;
    const rows = Array.isArray(data) ? data : [data];
    let firstError: unknown;
    for (const row of rows) {
      for (const s of targets) {
        try {
          s.cb(row, topic);
        } catch (e) {
          firstError ??= e;
        }
      }
    }
    if (firstError !== undefined) throw firstError;
    return targets.length;
  }

  /** Subscribes `cb` to `filter`; returns the function that unsubscribes it (idempotent). */
  subscribe(filter: string, cb: MemoryCallback): () => void {
    const sub: Subscription = { filter, cb };
    const f = effectiveFilter(filter);
    if (hasWildcard(f)) {
      this.#wild.add(sub);
      return () => void this.#wild.delete(sub);
    }
    let set = this.#exact.get(f);
    if (!set) this.#exact.set(f, set = new Set());
    set.add(sub);
    return () => {
      const s = this.#exact.get(f);
      if (!s?.delete(sub)) return;
      if (s.size === 0) this.#exact.delete(f);
    };
  }

  /** Number of live subscriptions (diagnostics and tests). */
  get size(): number {
    let n = this.#wild.size;
    for (const s of this.#exact.values()) n += s.size;
    return n;
  }
}

/** The process-wide pub/sub used by the memory source and sink. */
export const memoryPubSub: MemoryPubSub = new MemoryPubSub();
