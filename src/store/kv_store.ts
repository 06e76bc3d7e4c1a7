/**
 * The embedded store: SQLite (`data/weir.db`, WAL mode) holding one key/value table per
 * namespace (`stream`, `rule`, ...), the layout eKuiper keeps in its `sqliteKV.db`. Values are
 * JSON text. Writes are synchronous and durable (synchronous=FULL): a definition that the REST
 * API acknowledged survives kill -9 and power loss.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { openSqlite, type SqliteDatabase, type SqliteStatement } from "../platform/mod.ts";

const NAMESPACE = /^[a-zA-Z][a-zA-Z0-9_]*$/;

export class KvStore {
  private readonly created = new Set<string>();
  /** Prepared statements by SQL text: preparing one cost more than running it (creating a
   * rule reads and writes the store a few times; bench/RESULTS.md, session 17). */
  private readonly statements = new Map<string, SqliteStatement>();

  private constructor(private readonly db: SqliteDatabase) {}

  static async open(path: string): Promise<KvStore> {
    mkdirSync(dirname(path), { recursive: true });
    const db = await openSqlite(path);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
    return new KvStore(db);
  }

  private table(ns: string): string {
    if (!NAMESPACE.test(ns)) throw new Error(`invalid store namespace ${ns}`);
    if (!this.created.has(ns)) {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS "kv_${ns}" (key TEXT PRIMARY KEY, val TEXT NOT NULL)`,
      );
      this.created.add(ns);
    }
    return `"kv_${ns}"`;
  }

  private statement(sql: string): SqliteStatement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, st = this.db.prepare(sql));
    return st;
  }

  get<T>(ns: string, key: string): T | undefined {
    const row = this.statement(`SELECT val FROM ${this.table(ns)} WHERE key = ?`).get(key);
    return row ? JSON.parse(row.val as string) as T : undefined;
  }

  set(ns: string, key: string, value: unknown): void {
    this.statement(`INSERT OR REPLACE INTO ${this.table(ns)} (key, val) VALUES (?, ?)`)
      .run(key, JSON.stringify(value));
  }

  /** Inserts only when absent; returns false if the key exists. */
  setNew(ns: string, key: string, value: unknown): boolean {
    const res = this.statement(`INSERT OR IGNORE INTO ${this.table(ns)} (key, val) VALUES (?, ?)`)
      .run(key, JSON.stringify(value)) as { changes: number | bigint };
    return Number(res.changes) > 0;
  }

  delete(ns: string, key: string): boolean {
    const res = this.statement(`DELETE FROM ${this.table(ns)} WHERE key = ?`).run(key) as {
      changes: number | bigint;
    };
    return Number(res.changes) > 0;
  }

  keys(ns: string): string[] {
    return this.statement(`SELECT key FROM ${this.table(ns)} ORDER BY key`).all()
      .map((r) => r.key as string);
  }

  entries<T>(ns: string): [string, T][] {
    return this.statement(`SELECT key, val FROM ${this.table(ns)} ORDER BY key`).all()
      .map((r) => [r.key as string, JSON.parse(r.val as string) as T]);
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}
