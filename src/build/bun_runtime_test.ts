import { expect } from "expect";
import { readFileSync } from "node:fs";
import { pinnedBunVersion } from "./bun_runtime.ts";

Deno.test("bun runtime: the version is package.json's exact bun devDependency", () => {
  const pkg = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  expect(pinnedBunVersion(pkg)).toMatch(/^\d+\.\d+\.\d+$/);
  expect(pinnedBunVersion('{"devDependencies":{"bun":"1.3.14"}}')).toBe("1.3.14");
  expect(() => pinnedBunVersion('{"devDependencies":{"bun":"^1.3.0"}}')).toThrow(
    'package.json must pin devDependencies.bun to an exact version, got "^1.3.0"',
  );
  expect(() => pinnedBunVersion("{}")).toThrow('got "undefined"');
});
