import { expect } from "expect";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderProcdScript, shellWord } from "./procd.ts";
import { goldenPath, matchGolden } from "./_golden.ts";

const SPEC = { name: "weir", command: ["/opt/weir/weir"], home: "/opt/weir" };

Deno.test("procd: the init script matches its golden file", () => {
  matchGolden(goldenPath("weir.procd"), renderProcdScript(SPEC));
});

Deno.test("procd: the golden script parses (sh -n)", () => {
  execFileSync("sh", ["-n", goldenPath("weir.procd")]);
});

Deno.test("procd: procd receives the exact argv, whatever the path holds", () => {
  const dir = mkdtempSync(join(tmpdir(), "weir-procd-"));
  try {
    const home = `/srv/it's "odd" $HOME \`x\` dir`;
    const script = join(dir, "weir");
    writeFileSync(script, renderProcdScript({ name: "weir", command: [`${home}/weir`], home }));
    execFileSync("sh", ["-n", script]);
    // rc.common's procd helpers, reduced to printing what they receive, one word per line.
    const out = execFileSync("sh", [
      "-c",
      `procd_open_instance() { :; }; procd_close_instance() { :; }
       procd_set_param() { [ "$1" = command ] && shift && printf '%s\\n' "$@"; return 0; }
       . "$1"; start_service`,
      "sh",
      script,
    ], { encoding: "utf8" });
    expect(out.split("\n").slice(0, -1)).toEqual([`${home}/weir`, "serve", "--dir", home]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("procd: shellWord leaves plain words bare and quotes the rest", () => {
  expect(shellWord("/usr/bin/weir")).toBe("/usr/bin/weir");
  expect(shellWord("a b")).toBe("'a b'");
  expect(shellWord("it's")).toBe(`'it'\\''s'`);
  expect(shellWord("")).toBe("''");
  expect(readFileSync(goldenPath("weir.procd"), "utf8")).toContain("procd_set_param respawn");
});
