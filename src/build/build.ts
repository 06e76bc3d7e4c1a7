/**
 * `deno task build [target...] [--out DIR]`: one self-contained Weir binary per target with
 * `bun build --compile`, embedding a Bun runtime fetched from the npm registry
 * (`@oven/bun-linux-*`, the version pinned as the `bun` devDependency). Offline after the first
 * fetch: runtimes are cached in `<out>/.bun-runtimes/`.
 */
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { buildArgs, ROOT, selectTargets, type Target } from "./targets.ts";
import { bunRuntime, pinnedBunVersion } from "./bun_runtime.ts";
import { run } from "./run.ts";

/** The JIT tier-up threshold scale the binary starts with (see the build flag below). */
const START_JIT_POLICY = 100;

export interface BuildOptions {
  /** Folder receiving `weir-<target>`. */
  outDir: string;
  /** Folder caching the unpacked Bun runtimes. */
  cacheDir: string;
}

/** Builds `weir-<target.name>` and returns its path. */
export async function buildWithBun(target: Target, opts: BuildOptions): Promise<string> {
  const version = pinnedBunVersion(readFileSync(join(ROOT, "package.json"), "utf8"));
  const runtime = await bunRuntime(target.bunPackage, version, opts.cacheDir);
  mkdirSync(opts.outDir, { recursive: true });
  const out = join(opts.outDir, `weir-${target.name}`);
  await run([
    join(ROOT, "node_modules", ".bin", "bun"),
    "build",
    "--compile",
    `--target=${target.bunTarget}`,
    `--compile-executable-path=${runtime}`,
    // Configuration is etc/ and the environment, not a .env or bunfig.toml in the cwd.
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    // Start-up code stays in the interpreter until Weir is ready and calls
    // Bun.unsafe.setJITPolicy(1) (src/platform/jit.ts): the optimising compilers are not paged
    // in for code that runs once. 100: 10 saved half as much; 1000 no more (bench/RESULTS.md).
    `--compile-jit-policy=${START_JIT_POLICY}`,
    // Whitespace and syntax only: identifiers stay, so stack traces in logs stay readable.
    "--minify-whitespace",
    "--minify-syntax",
    `--outfile=${out}`,
    join(ROOT, "main.ts"),
  ], { cwd: ROOT });
  return out;
}

async function main(args: string[]): Promise<number> {
  const { outDir, names } = buildArgs(args, ROOT);
  const targets = selectTargets(names);
  const cacheDir = join(outDir, ".bun-runtimes");
  for (const t of targets) {
    const started = Date.now();
    const out = await buildWithBun(t, { outDir, cacheDir });
    const mb = (statSync(out).size / 1e6).toFixed(1);
    console.log(`${relative(process.cwd(), out)}  ${mb} MB  (${Date.now() - started} ms)`);
  }
  return 0;
}

if (import.meta.main) {
  try {
    process.exit(await main(process.argv.slice(2)));
  } catch (e) {
    console.error(`build: ${(e as Error).message}`);
    process.exit(1);
  }
}
