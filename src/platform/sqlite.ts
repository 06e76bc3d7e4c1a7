/**
 * SQLite: `node:sqlite` under Deno (and Node), `bun:sqlite` under Bun, which does not ship
 * `node:sqlite`. Both expose the same synchronous prepare/run/all/get shape we use.
 */
import { runtimeName } from "./runtime.ts";

export interface SqliteStatement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): Record<string, unknown>[];
  get(...params: unknown[]): Record<string, unknown> | undefined;
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

export async function openSqlite(path: string): Promise<SqliteDatabase> {
  // A computed specifier keeps each runtime's type checker away from the other's module.
  const mod = runtimeName === "bun" ? "bun:sqlite" : "node:sqlite";
  // deno-lint-ignore no-explicit-any
  const m: any = await import(mod);
  if (runtimeName === "bun") {
    const db = new m.Database(path, { create: true });
    return {
      exec: (sql) => db.exec(sql),
      prepare: (sql) => {
        const st = db.prepare(sql);
        return {
          run: (...p) => st.run(...p),
          all: (...p) => st.all(...p),
          get: (...p) => st.get(...p) ?? undefined,
        };
      },
      close: () => db.close(),
    };
  }
  const db = new m.DatabaseSync(path);
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => {
      const st = db.prepare(sql);
      return {
        run: (...p) => st.run(...p),
        all: (...p) => st.all(...p),
        get: (...p) => st.get(...p),
      };
    },
    close: () => db.close(),
  };
}
