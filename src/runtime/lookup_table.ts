/**
 * A lookup table (`KIND="lookup"`): the latest row per `KEY` value its source produced, kept
 * for joins that look rows up per event instead of scanning the table. A row whose
 * `rowkind` is `delete` removes its key (eKuiper's memory sink writes `rowkind` when it
 * updates a table).
 */
import type { Tuple } from "./tuple.ts";

/** The map key of a value: numbers and numeric strings differ (1 vs "1"), as in the join. */
function keyOf(v: unknown): string {
  return typeof v === "string" ? `s${v}` : `v${JSON.stringify(v)}`;
}

export class LookupTable {
  private readonly rows = new Map<string, Tuple>();

  constructor(readonly keyField: string) {}

  add(batch: Tuple[]): void {
    for (const t of batch) {
      const key = t.message[this.keyField];
      if (key === undefined || key === null) continue;
      if (t.message.rowkind === "delete") this.rows.delete(keyOf(key));
      else this.rows.set(keyOf(key), t);
    }
  }

  get(key: unknown): Tuple | undefined {
    return key === undefined || key === null ? undefined : this.rows.get(keyOf(key));
  }

  all(): IterableIterator<Tuple> {
    return this.rows.values();
  }

  size(): number {
    return this.rows.size;
  }
}
