/** Golden files of the service tests (`testdata/`); `UPDATE_GOLDEN=1` rewrites them. */
import { expect } from "expect";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

export function goldenPath(name: string): string {
  return join(new URL("./testdata", import.meta.url).pathname, name);
}

export function matchGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}
