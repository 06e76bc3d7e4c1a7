/** What a boot service runs: the Weir command line and its home folder. */
import { isCompiledBinary } from "../config/home.ts";
import { join } from "node:path";

export interface ServiceSpec {
  /** Service name: `/etc/init.d/<name>` or `<name>.service`. */
  name: string;
  /** The program and its leading arguments, before `serve --dir <home>`. */
  command: string[];
  /** Absolute home folder (etc/ and data/). */
  home: string;
}

/** The command that starts this same Weir: the binary itself, or its runtime and main.ts when it
 * runs from source (`deno run -A main.ts`, `bun run main.ts`). */
export function selfCommand(execPath: string, mainDir: string): string[] {
  if (isCompiledBinary(execPath)) return [execPath];
  const main = join(mainDir, "main.ts");
  return execPath.endsWith("bun") ? [execPath, "run", main] : [execPath, "run", "-A", main];
}

/** The full argument vector the service starts. */
export function serviceArgv(spec: ServiceSpec): string[] {
  return [...spec.command, "serve", "--dir", spec.home];
}
