/** Runs a build tool and returns its output; a failure carries the tool's own error text. */
import { spawn } from "node:child_process";
import process from "node:process";

export interface RunResult {
  stdout: string;
  stderr: string;
}

export class ToolError extends Error {
  constructor(readonly argv: string[], readonly code: number | null, readonly stderr: string) {
    super(`${argv.slice(0, 2).join(" ")} failed (exit ${code}): ${stderr.trim() || "no output"}`);
  }
}

export function run(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => stdout += d);
    child.stderr.on("data", (d) => stderr += d);
    child.on("error", (e) =>
      reject(
        (e as { code?: string }).code === "ENOENT"
          ? new ToolError(argv, null, `${argv[0]} not found on PATH`)
          : e,
      ));
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new ToolError(argv, code, stderr || stdout));
    });
  });
}
