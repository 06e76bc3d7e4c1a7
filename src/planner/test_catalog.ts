/**
 * A real catalog (SQLite in a temp folder) holding the streams of `testdata/streams.sql`,
 * shared by the planner's tests.
 *
 * @module
 */
import { KvStore } from "../store/kv_store.ts";
import { Catalog } from "../catalog/catalog.ts";

/** Lines of a corpus file: blank lines and `--` comments dropped. */
export function corpusLines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("--"));
}

export async function testCatalog(): Promise<Catalog> {
  const dir = await Deno.makeTempDir({ prefix: "weir-plan-" });
  const catalog = new Catalog(await KvStore.open(`${dir}/weir.db`));
  const ddl = await Deno.readTextFile(new URL("./testdata/streams.sql", import.meta.url));
  for (const sql of corpusLines(ddl)) catalog.execute(sql);
  return catalog;
}
