/**
 * The home folder holding `etc/` and `data/`: `--dir PATH`, else `WEIR_HOME`, else the folder
 * of a compiled binary, else the source checkout (the folder of main.ts). `prepareHome` writes
 * the embedded default `etc/` files that are missing, so that a lone binary starts complete.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { DEFAULT_ETC } from "./default_etc.ts";

/** Executables that run main.ts from source; any other name is a compiled Weir binary. */
const RUNTIMES = new Set(["deno", "bun", "node"]);

/** True when this process is a compiled binary (deno compile or bun build --compile). */
export function isCompiledBinary(execPath: string = process.execPath): boolean {
  return !RUNTIMES.has(basename(execPath).replace(/\.exe$/, ""));
}

export function resolveHome(
  flagDir: string | undefined,
  mainDir: string,
  env: Record<string, string | undefined> = process.env,
  execPath: string = process.execPath,
): string {
  if (flagDir) return resolve(flagDir);
  if (env.WEIR_HOME) return resolve(env.WEIR_HOME);
  // A compiled binary (whatever it was renamed to) keeps its etc/ and data/ beside itself.
  if (isCompiledBinary(execPath)) return dirname(execPath);
  return existsSync(join(mainDir, "deno.json")) ? mainDir : process.cwd();
}

/** Writes each default `etc/` file that does not exist yet (never overwrites) and returns the
 * paths written, relative to `home`. */
export function prepareHome(
  home: string,
  defaults: Readonly<Record<string, string>> = DEFAULT_ETC,
): string[] {
  const written: string[] = [];
  for (const [rel, content] of Object.entries(defaults)) {
    const path = join(home, "etc", rel);
    if (existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, { flag: "wx" });
    written.push(join("etc", rel));
  }
  return written;
}
