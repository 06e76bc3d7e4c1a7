/**
 * The home folder holding `etc/` and `data/`: `--dir PATH`, else `WEIR_HOME`, else the folder
 * of a compiled binary, else the source checkout (the folder of main.ts).
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";

export function resolveHome(flagDir: string | undefined, mainDir: string): string {
  if (flagDir) return resolve(flagDir);
  const env = process.env.WEIR_HOME;
  if (env) return resolve(env);
  // A compiled binary runs from its own file; its etc/ and data/ live beside it.
  const exe = process.execPath;
  const exeName = exe.split("/").pop() ?? "";
  if (exeName.startsWith("weir")) return dirname(exe);
  return existsSync(join(mainDir, "deno.json")) ? mainDir : process.cwd();
}
