/**
 * `deno task compile` embeds one minified, Latin-1 bundle (src/build/bundle.ts) in Deno's
 * runtime. Without denort on this machine the closest check is the same bundle under
 * `deno run`: it writes etc/, stores rules with node:sqlite, and brings them back after a
 * restart.
 */
import { expect } from "expect";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WeirProcess } from "../helpers/weir_process.ts";
import { createMemoryRule, expectMemoryRuleRunning } from "../helpers/memory_rule.ts";
import { bundleForDeno } from "../../src/build/bundle.ts";

Deno.test({
  name: "deno bundle: the program deno compile embeds serves, stores and recovers rules",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "weir-bundle-"));
    const bundle = join(dir, "weir.mjs");
    let weir: WeirProcess | undefined;
    try {
      await bundleForDeno(bundle);
      expect(/[\u0100-\uffff]/.test(readFileSync(bundle, "utf8"))).toBe(false);
      const command = [Deno.execPath(), "run", "-A", bundle];
      weir = await WeirProcess.start({ home: join(dir, "home"), brokerAddr: "off", command });
      expect(existsSync(join(weir.home, "etc", "weir.yaml"))).toBe(true);
      await createMemoryRule(weir);
      expect((await weir.kill("SIGTERM")).code).toBe(0);
      await weir.restart(command);
      await expectMemoryRuleRunning(weir);
    } finally {
      await weir?.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
