import { expect } from "expect";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { denortFor, explainCompileFailure } from "./compile.ts";
import { TARGETS } from "./targets.ts";
import { VERSION } from "../version.ts";

const [X64, ARM64] = TARGETS;

Deno.test("compile: DENORT_BIN_<ARCH> per target; plain DENORT_BIN only for a single target", () => {
  const env = { DENORT_BIN: "/d/any", DENORT_BIN_ARM64: "/d/arm" };
  expect(denortFor(X64, env, false)).toBe(undefined);
  expect(denortFor(X64, env, true)).toBe("/d/any");
  expect(denortFor(ARM64, env, false)).toBe("/d/arm");
  expect(denortFor(X64, { DENORT_BIN_X64: "/d/x" }, true)).toBe("/d/x");
});

Deno.test("compile: a failed runtime download is explained in one line; other errors are not", () => {
  const why = explainCompileFailure(
    ARM64,
    "error: Writing deno compile executable\n    0: Setting up base binary.\n    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-aarch64-unknown-linux-gnu.zip)",
  );
  expect(why).toContain("denort-aarch64-unknown-linux-gnu.zip from dl.deno.land");
  expect(why).toContain("DENORT_BIN_ARM64");
  expect(why!.includes("\n")).toBe(false);
  expect(explainCompileFailure(X64, "error: Module not found main.ts")).toBe(undefined);
});

Deno.test({
  name: "compile: `deno task compile linux-x64` builds a working binary or stops in one line",
  sanitizeResources: false,
  fn() {
    const out = mkdtempSync(join(tmpdir(), "weir-compile-"));
    try {
      const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1" };
      delete env.DENORT_BIN;
      delete env.DENORT_BIN_X64;
      const script = new URL("./compile.ts", import.meta.url).pathname;
      const r = spawnSync(process.execPath, ["run", "-A", script, "linux-x64", "--out", out], {
        encoding: "utf8",
        env,
      });
      if (r.status === 0) {
        // A machine that reaches dl.deno.land: the binary must be Weir.
        const v = spawnSync(join(out, "deno", "weir-linux-x64"), ["--version"], {
          encoding: "utf8",
        });
        expect(v.stdout.trim()).toBe(`weir ${VERSION}`);
      } else {
        expect({ code: r.status, lines: r.stderr.trimEnd().split("\n").length }).toEqual({
          code: 1,
          lines: 1,
        });
        expect(r.stderr).toMatch(/^compile: deno compile needs Deno's runtime denort-x86_64/);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
});
