/**
 * Where sink caches spill: one SQLite file, `data/cache.db` (eKuiper's name), shared by all
 * sinks and keyed by `<ruleId>/<sink instance>`. The app sets the folder at start; without it
 * (unit tests) caches spill to an in-memory database.
 *
 * @module
 */
import { join } from "node:path";
import { openSqlite, type SqliteDatabase } from "../platform/mod.ts";

let folder: string | undefined;
let opened: Promise<SqliteDatabase> | undefined;

/** Sets the data folder; the database opens on first use. */
export function configureSinkCacheDir(dataDir: string): void {
  folder = dataDir;
  opened = undefined;
}

async function open(path: string): Promise<SqliteDatabase> {
  const db = await openSqlite(path);
  db.exec(
    `CREATE TABLE IF NOT EXISTS sink_cache (
      key TEXT NOT NULL,
      seq INTEGER NOT NULL,
      item TEXT NOT NULL,
      payload BLOB,
      PRIMARY KEY (key, seq)
    )`,
  );
  return db;
}

/** The shared cache database (opened once). */
export function sinkCacheDb(): Promise<SqliteDatabase> {
  opened ??= open(folder ? join(folder, "cache.db") : ":memory:");
  return opened;
}

/** Opens a private cache database (tests, tools). */
export function openSinkCacheDb(path: string): Promise<SqliteDatabase> {
  return open(path);
}

/** Deletes everything cached for a rule (rule deleted). */
export async function dropRuleCaches(ruleId: string): Promise<void> {
  const db = await sinkCacheDb();
  db.prepare("DELETE FROM sink_cache WHERE key >= ? AND key < ?").run(`${ruleId}/`, `${ruleId}0`);
}
