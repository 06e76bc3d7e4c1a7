/**
 * The shipped binaries, built once for this file with `bun build --compile` (Bun runtimes from
 * npm, cached in the temp folder): a lone x64 binary is a working appliance, and the arm64 one
 * does the same under qemu-user (`qemu-aarch64-static -L /usr/aarch64-linux-gnu`).
 */
import { expect } from "expect";
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { buildWithBun } from "../../src/build/build.ts";
import { selectTargets } from "../../src/build/targets.ts";
import { VERSION } from "../../src/version.ts";
import { DEFAULT_ETC } from "../../src/config/default_etc.ts";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";

const OUT = mkdtempSync(join(tmpdir(), "weir-bin-"));
/** Kept across runs: the two runtimes are ~75 MB from the npm registry. */
const RUNTIMES = join(tmpdir(), "weir-bun-runtimes");
const QEMU = "/usr/bin/qemu-aarch64-static";
const ARM_SYSROOT = "/usr/aarch64-linux-gnu";
const onX64 = arch() === "x64";
const canRunArm = onX64 && existsSync(QEMU) && existsSync(join(ARM_SYSROOT, "lib"));

if (!onX64) console.log("binary tests: skipped, they expect an x64 machine");
else if (!canRunArm) {
  console.log(
    `binary tests: arm64 run skipped: needs ${QEMU} and ${ARM_SYSROOT} ` +
      "(Debian: qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross)",
  );
}

let built: Promise<Record<string, string>> | undefined;
/** Both glibc binaries, built in parallel the first time a test asks. */
function binaries(): Promise<Record<string, string>> {
  built ??= (async () => {
    const targets = selectTargets(["linux-x64", "linux-arm64"]);
    const paths = await Promise.all(
      targets.map((t) => buildWithBun(t, { outDir: OUT, cacheDir: RUNTIMES })),
    );
    return Object.fromEntries(targets.map((t, i) => [t.name, paths[i]]));
  })();
  return built;
}

async function until(what: string, fn: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A REST sink target: collects the JSON bodies POSTed to it. */
function collector(port: number) {
  const received: unknown[] = [];
  const ac = new AbortController();
  const server = Deno.serve(
    { port, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    async (req) => {
      received.push(await req.json());
      return new Response("ok");
    },
  );
  return { received, close: async () => (ac.abort(), await server.finished) };
}

/** Stream and rule over REST, data in over HTTP push, result out to a REST sink; then a restart
 * that must bring the rule back running by itself. */
async function applianceRoundTrip(command: string[], slow: number) {
  const sinkPort = await freePort();
  const sink = collector(sinkPort);
  const weir = await WeirProcess.start({ brokerAddr: "off", command });
  try {
    expect(readdirSync(weir.home).sort()).toEqual(["data", "etc"]);
    expect(existsSync(join(weir.home, "etc", "weir.yaml"))).toBe(true);
    const created = [
      await weir.request("POST", "/streams", {
        sql:
          'CREATE STREAM meter (id bigint, kw float) WITH (TYPE="httppush", DATASOURCE="/meter")',
      }),
      await weir.request("POST", "/rules", {
        id: "peak",
        sql: "SELECT id, kw * 1000 AS w FROM meter WHERE kw > 1",
        actions: [{ rest: { url: `http://127.0.0.1:${sinkPort}/out`, sendSingle: true } }],
      }),
    ];
    expect(created.map((r) => r.status)).toEqual([201, 201]);
    const push = async (body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${weir.pushPort}/meter`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      await r.body?.cancel();
      expect(r.status).toBe(200);
    };
    await push({ id: 1, kw: 0.5 });
    await push({ id: 2, kw: 2.5 });
    await until("the first result", () => sink.received.length >= 1, 10_000 * slow);
    expect(sink.received).toEqual([{ id: 2, w: 2500 }]);

    expect((await weir.kill("SIGTERM")).code).toBe(0);
    await weir.restart(command);
    const rules = (await weir.request("GET", "/rules")).json() as { id: string; status: string }[];
    expect(rules.map((r) => [r.id, r.status])).toEqual([["peak", "running"]]);
    await push({ id: 3, kw: 4 });
    await until("the result after restart", () => sink.received.length >= 2, 10_000 * slow);
    expect(sink.received).toEqual([{ id: 2, w: 2500 }, { id: 3, w: 4000 }]);
    expect((await weir.kill("SIGTERM")).code).toBe(0);
  } finally {
    await weir.kill("SIGKILL");
    await sink.close();
    rmSync(weir.home, { recursive: true, force: true });
  }
}

Deno.test({
  name:
    "binary linux-x64: a lone binary prints its version and writes etc/ and data/ beside itself",
  ignore: !onX64,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { "linux-x64": bin } = await binaries();
    const dir = mkdtempSync(join(tmpdir(), "weir-lone-"));
    try {
      // A hard link is a copy that costs nothing: the binary alone in an empty folder.
      const lone = join(dir, "weir");
      linkSync(bin, lone);
      const version = spawnSync(lone, ["--version"], { encoding: "utf8" });
      expect(version.stdout.trim()).toBe(`weir ${VERSION}`);
      const help = spawnSync(lone, ["--help"], { encoding: "utf8" });
      expect(help.stdout).toContain("weir service install|uninstall|status");
      const dryRun = spawnSync(lone, ["service", "install", "--init", "procd", "--dry-run"], {
        encoding: "utf8",
      });
      expect(dryRun.stdout).toContain(`procd_set_param command ${lone} serve --dir ${dir}`);

      const restPort = await freePort();
      const child = new Deno.Command(lone, {
        env: {
          WEIR_REST_ADDR: `127.0.0.1:${restPort}`,
          WEIR_BROKER_ADDR: "off",
          WEIR_PUSH_ADDR: `127.0.0.1:${await freePort()}`,
        },
        stdout: "null",
        stderr: "null",
        cwd: tmpdir(),
      }).spawn();
      try {
        await until("REST", async () => {
          try {
            const r = await fetch(`http://127.0.0.1:${restPort}/ping`);
            await r.body?.cancel();
            return r.ok;
          } catch {
            return false;
          }
        }, 20_000);
        expect(readdirSync(dir).sort()).toEqual(["data", "etc", "weir"]);
        for (const [rel, content] of Object.entries(DEFAULT_ETC)) {
          expect({ rel, content: readFileSync(join(dir, "etc", rel), "utf8") }).toEqual({
            rel,
            content,
          });
        }
        // Every other verb is the REST client, talking to the server just started.
        const show = spawnSync(lone, ["show", "streams", "--port", String(restPort)], {
          encoding: "utf8",
        });
        expect({ code: show.status, err: show.stderr }).toEqual({ code: 0, err: "" });
      } finally {
        child.kill("SIGTERM");
        expect((await child.status).code).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

Deno.test({
  name: "binary linux-x64: stream and rule over REST, data through, rule back after restart",
  ignore: !onX64,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { "linux-x64": bin } = await binaries();
    await applianceRoundTrip([bin], 1);
  },
});

Deno.test({
  name: "binary linux-arm64 under qemu: the same round trip",
  ignore: !canRunArm,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { "linux-arm64": bin } = await binaries();
    await applianceRoundTrip([QEMU, "-L", ARM_SYSROOT, bin], 3);
  },
});

globalThis.addEventListener("unload", () => rmSync(OUT, { recursive: true, force: true }));
