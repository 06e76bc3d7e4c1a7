/**
 * `deno run -A src/build/footprint.ts BINARY [--runner "qemu-aarch64-static -L /usr/aarch64-linux-gnu"]`:
 * a binary's footprint for the record: file size, gzip -9 and xz -9 sizes, cold start to a
 * REST answer (first start in an empty folder, then a warm start), idle RSS, and RSS with 10
 * running rules; run as root, also the idle RSS of a start with the kernel's page cache dropped
 * first, as after a boot (a binary just written by the build sits in the page cache in large
 * folios, which the kernel maps whole: ~5 MiB more RSS for the Bun binary). Under a runner
 * (qemu-user) RSS is the emulator's, translated code included.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import process from "node:process";
import { freePort } from "../../test/helpers/ports.ts";

/** Compressed size in bytes, or NaN when `skip` (xz -9 of ~95 MB takes a minute of CPU). */
function compressedSize(cmd: string, file: string, skip = false): number {
  if (skip) return NaN;
  const r = spawnSync("sh", ["-c", `${cmd} -c "$1" | wc -c`, "sh", file], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** Drops the kernel's clean page cache (root only); false when not allowed. */
export function dropPageCache(): boolean {
  try {
    spawnSync("sync");
    writeFileSync("/proc/sys/vm/drop_caches", "1");
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startAndTime(argv: string[], home: string, rest: number) {
  const t0 = performance.now();
  const child = spawn(argv[0], [...argv.slice(1), "serve", "--dir", home], {
    env: {
      ...process.env,
      WEIR_REST_ADDR: `127.0.0.1:${rest}`,
      WEIR_PUSH_ADDR: `127.0.0.1:${await freePort()}`,
      WEIR_BROKER_ADDR: "off",
      WEIR_LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${rest}/ping`);
      await r.body?.cancel();
      if (r.ok) break;
    } catch { /* not yet */ }
    if (child.exitCode !== null) throw new Error(`${argv.join(" ")} exited ${child.exitCode}`);
    if (performance.now() - t0 > 60_000) throw new Error("no REST answer in 60 s");
    await sleep(5);
  }
  return { child, ms: performance.now() - t0 };
}

async function stop(child: ReturnType<typeof spawn>) {
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await done;
}

async function main(args: string[]) {
  const bin = args[0];
  const runnerAt = args.indexOf("--runner");
  const runner = runnerAt >= 0 ? args[runnerAt + 1].split(" ") : [];
  const argv = [...runner, bin];
  const size = statSync(bin).size;
  const gz = compressedSize("gzip -9", bin);
  const xz = compressedSize("xz -9 -T1", bin, args.includes("--no-xz"));
  const home = mkdtempSync(join(tmpdir(), "weir-footprint-"));
  const rest = await freePort();
  const url = `http://127.0.0.1:${rest}`;
  try {
    const first = await startAndTime(argv, home, rest);
    await stop(first.child);
    const warm: number[] = [];
    let running = first.child;
    for (let i = 0; i < 3; i++) {
      const s = await startAndTime(argv, home, rest);
      warm.push(s.ms);
      if (i < 2) await stop(s.child);
      else running = s.child;
    }
    await sleep(3000);
    const idle = rssKb(running.pid!);
    const post = async (path: string, body: unknown) => {
      const r = await fetch(url + path, { method: "POST", body: JSON.stringify(body) });
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    };
    await post("/streams", {
      sql: 'CREATE STREAM s (id bigint, v float) WITH (TYPE="memory", DATASOURCE="in")',
    });
    for (let i = 0; i < 10; i++) {
      await post("/rules", {
        id: `r${i}`,
        sql: `SELECT id, v * ${i} AS v FROM s WHERE v > ${i}`,
        actions: [{ memory: { topic: `out/${i}` } }],
      });
    }
    await sleep(3000);
    const withRules = rssKb(running.pid!);
    await stop(running);
    let afterBoot = NaN;
    if (!runner.length && dropPageCache()) {
      const fresh = mkdtempSync(join(tmpdir(), "weir-footprint-"));
      try {
        const s = await startAndTime(argv, fresh, rest);
        await sleep(3000);
        afterBoot = rssKb(s.child.pid!);
        await stop(s.child);
      } finally {
        rmSync(fresh, { recursive: true, force: true });
      }
    }
    warm.sort((a, b) => a - b);
    const mb = (n: number) => (n / 1e6).toFixed(1);
    console.log(
      `| ${basename(bin)}${runner.length ? " (qemu)" : ""} | ${mb(size)} MB | ${mb(gz)} MB | ${
        mb(xz)
      } MB | ` +
        `${first.ms.toFixed(0)} ms | ${warm[1].toFixed(0)} ms | ${
          (idle / 1024).toFixed(1)
        } MiB | ` +
        `${(withRules / 1024).toFixed(1)} MiB | ` +
        `${Number.isNaN(afterBoot) ? "-" : `${(afterBoot / 1024).toFixed(1)} MiB`} |`,
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  if (!process.argv[2]) {
    console.error("usage: footprint.ts BINARY [--runner COMMAND]");
    process.exit(2);
  }
  await main(process.argv.slice(2));
}
