/**
 * `deno task compile` embeds one esbuild bundle in Deno's runtime (`deno compile --bundle`).
 * Without denort on this machine the closest check is the same bundle under `deno run`: it
 * writes etc/, stores rules with node:sqlite, and brings them back after a restart.
 */
import { expect } from "expect";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { WeirProcess } from "../helpers/weir_process.ts";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);

Deno.test({
  name: "deno bundle: the program deno compile embeds serves, stores and recovers rules",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "weir-bundle-"));
    const bundle = join(dir, "weir.mjs");
    let weir: WeirProcess | undefined;
    try {
      const b = spawnSync(
        Deno.execPath(),
        ["bundle", "--platform", "deno", "-o", bundle, join(ROOT, "main.ts")],
        { encoding: "utf8", env: { ...Deno.env.toObject(), NO_COLOR: "1" } },
      );
      expect({ code: b.status, stderr: b.status === 0 ? "" : b.stderr }).toEqual({
        code: 0,
        stderr: "",
      });
      const command = [Deno.execPath(), "run", "-A", bundle];
      weir = await WeirProcess.start({ home: join(dir, "home"), brokerAddr: "off", command });
      expect(existsSync(join(weir.home, "etc", "weir.yaml"))).toBe(true);
      expect(
        (await weir.request("POST", "/streams", {
          sql: 'CREATE STREAM s () WITH (TYPE="memory", DATASOURCE="in")',
        })).status,
      ).toBe(201);
      expect(
        (await weir.request("POST", "/rules", {
          id: "r1",
          sql: "SELECT * FROM s",
          actions: [{ memory: { topic: "out" } }],
        })).status,
      ).toBe(201);
      expect((await weir.kill("SIGTERM")).code).toBe(0);
      await weir.restart(command);
      const rules = (await weir.request("GET", "/rules")).json() as {
        id: string;
        status: string;
      }[];
      expect(rules.map((r) => [r.id, r.status])).toEqual([["r1", "running"]]);
    } finally {
      await weir?.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
