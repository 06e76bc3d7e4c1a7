import { expect } from "expect";
import { buildArgs, selectTargets, TARGETS } from "./targets.ts";

Deno.test("targets: four Bun targets, glibc and musl, with Deno targets for glibc only", () => {
  expect(TARGETS.map((t) => [t.name, t.bunTarget, t.bunPackage, t.denoTarget ?? null])).toEqual([
    ["linux-x64", "bun-linux-x64", "@oven/bun-linux-x64", "x86_64-unknown-linux-gnu"],
    ["linux-arm64", "bun-linux-arm64", "@oven/bun-linux-aarch64", "aarch64-unknown-linux-gnu"],
    ["linux-x64-musl", "bun-linux-x64-musl", "@oven/bun-linux-x64-musl", null],
    ["linux-arm64-musl", "bun-linux-arm64-musl", "@oven/bun-linux-aarch64-musl", null],
  ]);
});

Deno.test("targets: selection by name or file name; unknown names list the known ones", () => {
  expect(selectTargets([]).length).toBe(4);
  expect(selectTargets(["weir-linux-arm64-musl", "linux-x64"]).map((t) => t.name)).toEqual([
    "linux-arm64-musl",
    "linux-x64",
  ]);
  expect(selectTargets(["linux-x64-baseline"]).map((t) => t.bunPackage)).toEqual([
    "@oven/bun-linux-x64-baseline",
  ]);
  expect(() => selectTargets(["linux-mips"])).toThrow(
    'unknown target "linux-mips" (known: linux-x64, linux-arm64, linux-x64-musl, ' +
      "linux-arm64-musl, linux-x64-baseline, linux-x64-musl-baseline)",
  );
  expect(() => selectTargets(["linux-x64-musl"], [], [])).toThrow(
    'unknown target "linux-x64-musl"',
  );
});

Deno.test("buildArgs: --out and target names, dist/ by default", () => {
  expect(buildArgs(["linux-x64", "--out", "/tmp/o", "linux-arm64"], "/r")).toEqual({
    outDir: "/tmp/o",
    names: ["linux-x64", "linux-arm64"],
  });
  expect(buildArgs([], "/r")).toEqual({ outDir: "/r/dist", names: [] });
});
