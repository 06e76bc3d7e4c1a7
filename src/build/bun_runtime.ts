/**
 * Bun runtimes for cross-compiling, taken from the npm registry with `npm pack` (the only
 * download a build makes) and unpacked once into a cache folder: `<cache>/<package>-<version>/bun`.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";

/** The Bun version pinned as the `bun` devDependency in package.json. */
export function pinnedBunVersion(packageJson: string): string {
  const pkg = JSON.parse(packageJson) as { devDependencies?: Record<string, string> };
  const v = pkg.devDependencies?.bun;
  if (!v || !/^\d+\.\d+\.\d+$/.test(v)) {
    throw new Error(`package.json must pin devDependencies.bun to an exact version, got "${v}"`);
  }
  return v;
}

/** Path of the runtime executable for `pkg@version`, fetched and unpacked when not cached. */
export async function bunRuntime(pkg: string, version: string, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, `${pkg.replace("@", "").replace("/", "-")}-${version}`);
  const exe = join(dir, "bun");
  if (existsSync(exe)) return exe;
  mkdirSync(cacheDir, { recursive: true });
  const work = mkdtempSync(join(cacheDir, ".pack-"));
  try {
    const packed = await run(["npm", "pack", "--silent", `${pkg}@${version}`], { cwd: work });
    const tgz = join(work, packed.stdout.trim().split("\n").pop()!);
    await run(["tar", "-xzf", tgz, "-C", work, "package/bin/bun"]);
    mkdirSync(dir, { recursive: true });
    // Rename last, so that an interrupted fetch never leaves a half-written runtime behind.
    renameSync(join(work, "package", "bin", "bun"), exe);
    return exe;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
