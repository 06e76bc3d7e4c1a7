/**
 * `deno task compile [linux-x64|linux-arm64] [--out DIR]`: the same binaries with
 * `deno compile`. Deno embeds its runtime `denort`, which it downloads from dl.deno.land (not
 * from npm); `DENORT_BIN` (or `DENORT_BIN_X64` / `DENORT_BIN_ARM64` per target) points it at a
 * local copy instead. Where neither works, this stops with a one-line explanation.
 * Output: `<out>/deno/weir-<target>`. See docs/binaries.md.
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { arch } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { buildArgs, ROOT, selectTargets, type Target, TARGETS } from "./targets.ts";
import { run, ToolError } from "./run.ts";
import { bundleForDeno } from "./bundle.ts";

const DENO_TARGETS = TARGETS.filter((t) => t.denoTarget);

/** The denort binary to use for `target`, from the environment (undefined: Deno downloads it). */
export function denortFor(
  target: Target,
  env: Record<string, string | undefined>,
  onlyOne: boolean,
): string | undefined {
  const perTarget = target.name === "linux-x64" ? env.DENORT_BIN_X64 : env.DENORT_BIN_ARM64;
  // A plain DENORT_BIN is one architecture's runtime: it can serve one target only.
  return perTarget ?? (onlyOne ? env.DENORT_BIN : undefined);
}

/** The one-line explanation for a failed `deno compile`, or undefined when it is another error. */
export function explainCompileFailure(target: Target, stderr: string): string | undefined {
  if (!/dl\.deno\.land|error sending request|dns error|Setting up base binary/i.test(stderr)) {
    return undefined;
  }
  return `deno compile needs Deno's runtime denort-${target.denoTarget}.zip from dl.deno.land, ` +
    `which this machine cannot reach; set DENORT_BIN (or DENORT_BIN_${
      target.name === "linux-x64" ? "X64" : "ARM64"
    }) to a denort binary, or use \`deno task build\` (Bun runtimes from npm)`;
}

export async function compileWithDeno(
  target: Target,
  outDir: string,
  denort: string | undefined,
): Promise<string> {
  const out = join(outDir, "deno", `weir-${target.name}`);
  mkdirSync(join(outDir, "deno"), { recursive: true });
  const env: Record<string, string> = { NO_COLOR: "1" };
  if (denort) env.DENORT_BIN = denort;
  // One bundled file (bundle.ts), not the whole node_modules tree (dev tools included), as
  // bun build does; type checking is `deno task check`'s job.
  const bundle = join(outDir, "deno", "weir.mjs");
  await bundleForDeno(bundle);
  await run([
    process.execPath,
    "compile",
    "-A",
    "--no-check",
    "--target",
    target.denoTarget!,
    "--output",
    out,
    bundle,
  ], { cwd: ROOT, env });
  // A native binary can be checked: a deno CLI given as DENORT_BIN yields a copy of deno.
  const native = (arch() === "x64" ? "linux-x64" : "linux-arm64") === target.name;
  if (native) {
    const v = (await run([out, "--version"])).stdout.trim();
    if (!v.startsWith("weir ")) {
      rmSync(out, { force: true });
      throw new Error(`${out} --version printed "${v.split("\n")[0]}": DENORT_BIN is not a denort`);
    }
  }
  return out;
}

async function main(args: string[]): Promise<number> {
  const { outDir, names } = buildArgs(args, ROOT);
  const targets = selectTargets(names, DENO_TARGETS, DENO_TARGETS);
  for (const t of targets) {
    try {
      const out = await compileWithDeno(t, outDir, denortFor(t, process.env, targets.length === 1));
      const mb = (statSync(out).size / 1e6).toFixed(1);
      console.log(`${relative(process.cwd(), out)}  ${mb} MB`);
    } catch (e) {
      const why = e instanceof ToolError ? explainCompileFailure(t, e.stderr) : undefined;
      console.error(`compile: ${why ?? (e as Error).message.split("\n")[0]}`);
      return 1;
    }
  }
  return 0;
}

if (import.meta.main) {
  try {
    process.exit(await main(process.argv.slice(2)));
  } catch (e) {
    console.error(`compile: ${(e as Error).message}`);
    process.exit(1);
  }
}
