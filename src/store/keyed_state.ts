/**
 * The keyed state store that `get_keyed_state(key, type, default)` reads (eKuiper's
 * `keyed_state` table in its external state store), filled over REST (`POST /keyedstate`).
 * Values live in the SQLite store; reads go through a bounded cache, coherent because this
 * class is the store's only writer.
 *
 * @module
 */
import type { KvStore } from "./kv_store.ts";

const NS = "keyed_state";
const CACHE_LIMIT = 10_000;
/** Cached "not stored", so a missing key costs one SQLite read, not one per row. */
const ABSENT = Symbol("absent");

export class KeyedState {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly store: KvStore) {}

  /** The value stored under `key`, or undefined. */
  get(key: string): unknown {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = this.store.get<unknown>(NS, key) ?? ABSENT;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, v);
    }
    return v === ABSENT ? undefined : v;
  }

  set(key: string, value: unknown): void {
    this.store.set(NS, key, value);
    this.cache.set(key, value ?? ABSENT);
  }

  delete(key: string): boolean {
    this.cache.delete(key);
    return this.store.delete(NS, key);
  }
}
