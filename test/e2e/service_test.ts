/**
 * `weir service install --dry-run`, end to end: the procd script it prints parses, the command
 * procd would run (read back through rc.common's procd_set_param) starts Weir in the chosen
 * home, and after Weir is killed, starting that command again brings its rules back running,
 * which is what procd's respawn and a reboot do.
 */
import { expect } from "expect";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { WeirProcess } from "../helpers/weir_process.ts";
import { createMemoryRule, expectMemoryRuleRunning } from "../helpers/memory_rule.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);

/** The argv that procd would start, from the script's start_service. */
function procdCommand(script: string): string[] {
  const out = execFileSync("sh", [
    "-c",
    `procd_open_instance() { :; }; procd_close_instance() { :; }
     procd_set_param() { [ "$1" = command ] && shift && printf '%s\\n' "$@"; return 0; }
     . "$1"; start_service`,
    "sh",
    script,
  ], { encoding: "utf8" });
  return out.split("\n").slice(0, -1);
}

Deno.test({
  name: "service: the procd script's command starts Weir in its home; rules survive a kill",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "weir-service-"));
    const home = join(dir, "home dir");
    let weir: WeirProcess | undefined;
    try {
      const printed = spawnSync(
        Deno.execPath(),
        [
          "run",
          "-A",
          join(ROOT, "main.ts"),
          "service",
          "install",
          "--init",
          "procd",
          "--dir",
          home,
          "--dry-run",
        ],
        { encoding: "utf8" },
      );
      expect(printed.status).toBe(0);
      const script = printed.stdout.slice(
        printed.stdout.indexOf("#!/bin/sh"),
        printed.stdout.indexOf("# then run:"),
      );
      const path = join(dir, "weir.init");
      writeFileSync(path, script);
      execFileSync("sh", ["-n", path]);
      const argv = procdCommand(path);
      expect(argv.slice(-3)).toEqual(["serve", "--dir", home]);

      // WeirProcess appends "serve --dir <home>" itself: give it the program part.
      weir = await WeirProcess.start({ home, brokerAddr: "off", command: argv.slice(0, -3) });
      expect(existsSync(join(home, "etc", "weir.yaml"))).toBe(true);
      await createMemoryRule(weir);
      expect((await weir.kill("SIGKILL")).signal).toBe("SIGKILL");
      await weir.restart(argv.slice(0, -3));
      await expectMemoryRuleRunning(weir);
    } finally {
      await weir?.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
