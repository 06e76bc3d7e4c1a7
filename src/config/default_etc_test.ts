import { expect } from "expect";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DEFAULT_ETC } from "./default_etc.ts";

const ETC = resolve(new URL("../../etc", import.meta.url).pathname);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]
  );
}

Deno.test("default etc: every file of etc/ is embedded, byte for byte", () => {
  const onDisk = Object.fromEntries(
    listFiles(ETC).map((p) => [relative(ETC, p), readFileSync(p, "utf8")]),
  );
  expect({ ...DEFAULT_ETC }).toEqual(onDisk);
});
