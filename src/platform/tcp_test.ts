import { expect } from "expect";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { cases } from "./tcp_cases.ts";

for (const [name, fn] of Object.entries(cases)) Deno.test(`tcp under deno: ${name}`, fn);

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const BUN = resolve(ROOT, "node_modules/.bin/bun");

Deno.test({
  name: "tcp under bun: the same cases",
  ignore: !existsSync(BUN),
  async fn() {
    const out = await new Deno.Command(BUN, {
      args: ["run", resolve(ROOT, "src/platform/tcp_cases.ts")],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const report = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const lines = report.split("\n").filter((l) => /^(ok|FAIL) /.test(l));
    expect({ code: out.code, failed: lines.filter((l) => l.startsWith("FAIL")) })
      .toEqual({ code: 0, failed: [] });
    expect(lines.length).toBe(Object.keys(cases).length);
  },
});
