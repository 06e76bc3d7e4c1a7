/**
 * Groups indexed by their GROUP BY values, in first-seen order.
 *
 * A window closing over 100k rows looks up a group per row. With one dimension whose value is
 * a number or a string (the common `GROUP BY id`) the value itself keys a Map, so no key string
 * is built and hashed per row; anything else goes through {@link groupKey}. Numbers and strings
 * live in separate Maps, so `1` and `"1"` stay two groups, as groupKey keeps them.
 *
 * @module
 */
import { groupKey } from "./group_key.ts";

export class GroupMap<G> {
  #byNumber = new Map<number, G>();
  #byString = new Map<string, G>();
  #byKey = new Map<string, G>();
  #list: G[] = [];

  /** The group of these values, if seen. */
  get(values: readonly unknown[]): G | undefined {
    if (values.length === 1) {
      const v = values[0];
      if (typeof v === "number") return this.#byNumber.get(v);
      if (typeof v === "string") return this.#byString.get(v);
    }
    return this.#byKey.get(groupKey(values));
  }

  /** Adds the group of values not seen yet (`get` gave undefined). */
  add(values: readonly unknown[], group: G): void {
    this.#list.push(group);
    if (values.length === 1) {
      const v = values[0];
      if (typeof v === "number") return void this.#byNumber.set(v, group);
      if (typeof v === "string") return void this.#byString.set(v, group);
    }
    this.#byKey.set(groupKey(values), group);
  }

  get size(): number {
    return this.#list.length;
  }

  /** The groups in first-seen order. */
  values(): readonly G[] {
    return this.#list;
  }
}
