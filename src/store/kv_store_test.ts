import { expect } from "expect";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KvStore } from "./kv_store.ts";

Deno.test("KvStore persists values across reopen", async () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-kv-"));
  try {
    const path = join(dir, "weir.db");
    const a = await KvStore.open(path);
    a.set("rule", "r1", { id: "r1", sql: "SELECT 1" });
    expect(a.setNew("rule", "r1", {})).toBe(false);
    expect(a.setNew("rule", "r2", { id: "r2" })).toBe(true);
    a.close();
    const b = await KvStore.open(path);
    expect(b.get("rule", "r1")).toEqual({ id: "r1", sql: "SELECT 1" });
    expect(b.keys("rule")).toEqual(["r1", "r2"]);
    expect(b.delete("rule", "r2")).toBe(true);
    expect(b.delete("rule", "r2")).toBe(false);
    expect(b.get("rule", "r2")).toBeUndefined();
    expect(b.entries("stream")).toEqual([]);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
