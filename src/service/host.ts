/**
 * The machine a service is installed on: its file system (under `root`, "/" for real) and the
 * commands that enable and start services. Tests give a temporary root and record commands.
 */
import { nodeChildProcess } from "../platform/builtin.ts";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface CommandResult {
  code: number;
  output: string;
}

export interface ServiceHost {
  exists(path: string): boolean;
  read(path: string): string;
  write(path: string, content: string, mode: number): void;
  remove(path: string): void;
  run(argv: string[]): Promise<CommandResult>;
}

/** The real machine, with paths taken under `root` (which is "/" outside tests). */
export function localHost(root = "/"): ServiceHost {
  const at = (p: string) => join(root, p);
  return {
    exists: (p) => existsSync(at(p)),
    read: (p) => readFileSync(at(p), "utf8"),
    write: (p, content, mode) => {
      mkdirSync(dirname(at(p)), { recursive: true });
      writeFileSync(at(p), content);
      chmodSync(at(p), mode);
    },
    remove: (p) => rmSync(at(p), { force: true }),
    run: (argv) =>
      new Promise((resolve) => {
        const child = nodeChildProcess().spawn(argv[0], argv.slice(1), {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d) => output += d);
        child.stderr.on("data", (d) => output += d);
        child.on("error", (e) => resolve({ code: 127, output: `${argv[0]}: ${e.message}` }));
        child.on("close", (code) => resolve({ code: code ?? 1, output: output.trim() }));
      }),
  };
}
