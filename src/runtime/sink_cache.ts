/**
 * The sink cache: an ordered FIFO of results a sink could not deliver, as eKuiper's
 * `enableCache`. The earliest `memoryCacheThreshold` results stay in memory so they can be resent
 * at once; later ones go to SQLite (`maxDiskCache` results at most) and come back a page
 * (`bufferPageSize`) at a time. When the disk part is full, the memory part (the oldest results)
 * is dropped and the earliest disk page takes its place, as eKuiper does; drops are counted.
 *
 * `persist()` writes the memory part to disk (rule stop, shutdown), so a restarted rule resends
 * everything in order. Results only in memory are lost on a crash (eKuiper: "data here can be
 * lost due to failures such as power outages").
 *
 * @module
 */
import type { SinkItem } from "../io/types.ts";
import type { SqliteDatabase, SqliteStatement } from "../platform/mod.ts";
import type { CacheProps } from "./sink_props.ts";
import { bytesToBase64 } from "../io/template/go_values.ts";

interface Entry {
  seq: number;
  item: SinkItem;
}

/** JSON with the two value kinds JSON lacks: int64 (bigint) and bytea (Uint8Array). */
function serialize(item: SinkItem): string {
  return JSON.stringify({ d: item.data, p: item.props }, (_k, v) => {
    if (typeof v === "bigint") return { $bigint: v.toString() };
    if (v instanceof Uint8Array) return { $bytes: bytesToBase64(v) };
    return v;
  });
}

function deserialize(text: string, payload: unknown): SinkItem {
  const o = JSON.parse(text, (_k, v) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      if (typeof v.$bigint === "string" && Object.keys(v).length === 1) return BigInt(v.$bigint);
      if (typeof v.$bytes === "string" && Object.keys(v).length === 1) {
        return Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0));
      }
    }
    return v;
  });
  const item: SinkItem = { data: o.d };
  if (o.p) item.props = o.p;
  if (payload instanceof Uint8Array) item.payload = payload;
  return item;
}

export class SinkCache {
  private mem: Entry[] = [];
  private memHead = 0;
  private diskCount: number;
  private nextSeq: number;
  /** Results dropped because the disk part was full (counted as sink exceptions). */
  dropped = 0;
  private readonly insert: SqliteStatement;
  private readonly page: SqliteStatement;
  private readonly deleteUpTo: SqliteStatement;
  private readonly deleteAll: SqliteStatement;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly key: string,
    private readonly props: CacheProps,
  ) {
    const row = db.prepare("SELECT COUNT(*) AS n, MAX(seq) AS last FROM sink_cache WHERE key = ?")
      .get(key)!;
    this.diskCount = Number(row.n);
    this.nextSeq = row.last === null || row.last === undefined ? 1 : Number(row.last) + 1;
    this.insert = db.prepare(
      "INSERT OR REPLACE INTO sink_cache (key, seq, item, payload) VALUES (?, ?, ?, ?)",
    );
    this.page = db.prepare(
      "SELECT seq, item, payload FROM sink_cache WHERE key = ? ORDER BY seq LIMIT ?",
    );
    this.deleteUpTo = db.prepare("DELETE FROM sink_cache WHERE key = ? AND seq <= ?");
    this.deleteAll = db.prepare("DELETE FROM sink_cache WHERE key = ?");
  }

  get length(): number {
    return this.mem.length - this.memHead + this.diskCount;
  }

  /** Results currently held on disk. */
  get onDisk(): number {
    return this.diskCount;
  }

  push(item: SinkItem): void {
    const seq = this.nextSeq++;
    const memLen = this.mem.length - this.memHead;
    if (this.diskCount === 0 && memLen < this.props.memoryCacheThreshold) {
      this.mem.push({ seq, item });
      return;
    }
    if (this.props.maxDiskCache === 0) {
      // No disk part: the oldest result makes room.
      if (memLen > 0) {
        this.memHead++;
        this.dropped++;
        this.compact();
        this.mem.push({ seq, item });
      } else this.dropped++;
      return;
    }
    if (this.diskCount >= this.props.maxDiskCache) {
      // Disk full: drop the memory part, the earliest disk page replaces it.
      this.dropped += memLen;
      this.mem = [];
      this.memHead = 0;
      this.loadPage();
    }
    this.write({ seq, item });
    this.diskCount++;
  }

  /** The oldest cached result, or undefined. */
  peek(): SinkItem | undefined {
    if (this.memHead >= this.mem.length) {
      if (this.diskCount === 0) return undefined;
      this.loadPage();
    }
    return this.mem[this.memHead]?.item;
  }

  /** Removes the oldest result (after it was delivered, or dropped for good). */
  shift(): void {
    if (this.memHead >= this.mem.length && this.diskCount > 0) this.loadPage();
    if (this.memHead < this.mem.length) {
      this.mem[this.memHead++] = undefined as unknown as Entry;
      this.compact();
    }
  }

  /** Writes the memory part to disk, so that nothing is lost across a restart. */
  persist(): void {
    const entries = this.mem.slice(this.memHead);
    if (entries.length === 0) return;
    this.db.exec("BEGIN");
    try {
      for (const e of entries) this.write(e);
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
    this.diskCount += entries.length;
    this.mem = [];
    this.memHead = 0;
  }

  /** Forgets everything (cleanCacheAtStop). */
  clear(): void {
    this.deleteAll.run(this.key);
    this.mem = [];
    this.memHead = 0;
    this.diskCount = 0;
  }

  private write(e: Entry): void {
    this.insert.run(this.key, e.seq, serialize(e.item), e.item.payload ?? null);
  }

  private loadPage(): void {
    const rows = this.page.all(this.key, this.props.bufferPageSize);
    if (rows.length === 0) {
      this.diskCount = 0;
      return;
    }
    const last = Number(rows[rows.length - 1].seq);
    this.deleteUpTo.run(this.key, last);
    this.diskCount -= rows.length;
    this.compact();
    for (const r of rows) {
      this.mem.push({ seq: Number(r.seq), item: deserialize(String(r.item), r.payload) });
    }
  }

  private compact(): void {
    if (this.memHead > 1024 && this.memHead * 2 > this.mem.length) {
      this.mem.splice(0, this.memHead);
      this.memHead = 0;
    } else if (this.memHead === this.mem.length) {
      this.mem.length = 0;
      this.memHead = 0;
    }
  }
}
