/**
 * The binaries Weir ships: one per CPU architecture and C library. Bun runtimes for each come
 * from the npm registry (`@oven/bun-linux-*`); `deno compile` covers the two glibc targets.
 */
import { join, resolve } from "node:path";

/** The checkout the builds read main.ts and package.json from. */
export const ROOT = resolve(new URL("../..", import.meta.url).pathname);

export interface Target {
  /** Suffix of the output file: `dist/weir-<name>`. */
  name: string;
  /** `bun build --compile --target=...` */
  bunTarget: string;
  /** npm package whose `bin/bun` is the runtime embedded in the binary. */
  bunPackage: string;
  /** `deno compile --target ...`, for the targets Deno ships a runtime for. */
  denoTarget?: string;
}

export const TARGETS: readonly Target[] = [
  {
    name: "linux-x64",
    bunTarget: "bun-linux-x64",
    bunPackage: "@oven/bun-linux-x64",
    denoTarget: "x86_64-unknown-linux-gnu",
  },
  {
    name: "linux-arm64",
    bunTarget: "bun-linux-arm64",
    bunPackage: "@oven/bun-linux-aarch64",
    denoTarget: "aarch64-unknown-linux-gnu",
  },
  {
    name: "linux-x64-musl",
    bunTarget: "bun-linux-x64-musl",
    bunPackage: "@oven/bun-linux-x64-musl",
  },
  {
    name: "linux-arm64-musl",
    bunTarget: "bun-linux-arm64-musl",
    bunPackage: "@oven/bun-linux-aarch64-musl",
  },
];

/** For x64 CPUs without AVX2 (older Atom/Celeron gateways): built only when named. */
export const BASELINE_TARGETS: readonly Target[] = [
  {
    name: "linux-x64-baseline",
    bunTarget: "bun-linux-x64-baseline",
    bunPackage: "@oven/bun-linux-x64-baseline",
  },
  {
    name: "linux-x64-musl-baseline",
    bunTarget: "bun-linux-x64-musl-baseline",
    bunPackage: "@oven/bun-linux-x64-musl-baseline",
  },
];

/** The targets named in `names` (all of `defaults` when empty); unknown names are an error that
 * lists the known ones. */
export function selectTargets(
  names: readonly string[],
  defaults: readonly Target[] = TARGETS,
  known: readonly Target[] = [...TARGETS, ...BASELINE_TARGETS],
): Target[] {
  if (names.length === 0) return [...defaults];
  return names.map((n) => {
    const t = known.find((t) => t.name === n || `weir-${t.name}` === n);
    if (!t) {
      throw new Error(`unknown target "${n}" (known: ${known.map((t) => t.name).join(", ")})`);
    }
    return t;
  });
}

/** The build commands' arguments: `--out DIR` (default `dist/` under `root`) and target names. */
export function buildArgs(args: string[], root: string): { outDir: string; names: string[] } {
  let outDir = join(root, "dist");
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") outDir = resolve(args[++i] ?? "");
    else names.push(args[i]);
  }
  return { outDir, names };
}
