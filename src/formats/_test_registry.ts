/** Test support: a schema registry in a fresh temp folder, with files written before the scan. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SchemaRegistry } from "../schemas/mod.ts";

export async function tempRegistry(
  files: Record<string, string> = {},
): Promise<{ registry: SchemaRegistry; dir: string; failures: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "weir-schemas-"));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  const registry = new SchemaRegistry(dir);
  const failures = await registry.scan();
  return { registry, dir, failures };
}
