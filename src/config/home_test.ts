import { expect } from "expect";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isCompiledBinary, prepareHome, resolveHome } from "./home.ts";
import { DEFAULT_ETC } from "./default_etc.ts";

Deno.test("home: --dir wins over WEIR_HOME, which wins over the binary's folder", () => {
  const env = { WEIR_HOME: "/srv/weir" };
  expect(resolveHome("rel/dir", "/src", env, "/opt/weir/weir")).toBe(resolve("rel/dir"));
  expect(resolveHome(undefined, "/src", env, "/opt/weir/weir")).toBe("/srv/weir");
  expect(resolveHome(undefined, "/src", {}, "/opt/weir/weir-linux-arm64")).toBe("/opt/weir");
  expect(resolveHome(undefined, "/src", {}, "/usr/local/bin/edge-sql")).toBe("/usr/local/bin");
});

Deno.test("home: under deno/bun the checkout holding deno.json is home", () => {
  const root = resolve(new URL("../..", import.meta.url).pathname);
  expect(resolveHome(undefined, root, {}, "/usr/bin/deno")).toBe(root);
  expect(isCompiledBinary("/home/u/.bun/bin/bun")).toBe(false);
  expect(isCompiledBinary("/opt/weir/weir")).toBe(true);
});

Deno.test("home: prepareHome writes missing defaults once and never overwrites", () => {
  const home = mkdtempSync(join(tmpdir(), "weir-home-"));
  try {
    mkdirSync(join(home, "etc"));
    writeFileSync(join(home, "etc", "weir.yaml"), "basic:\n  restPort: 1\n");
    const written = prepareHome(home);
    expect(written.sort()).toEqual(
      Object.keys(DEFAULT_ETC).filter((k) => k !== "weir.yaml").map((k) => join("etc", k)).sort(),
    );
    expect(readFileSync(join(home, "etc", "weir.yaml"), "utf8")).toBe("basic:\n  restPort: 1\n");
    expect(readFileSync(join(home, "etc", "sources", "mqtt.yaml"), "utf8")).toBe(
      DEFAULT_ETC["sources/mqtt.yaml"],
    );
    expect(prepareHome(home)).toEqual([]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
