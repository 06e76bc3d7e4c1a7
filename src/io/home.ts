/**
 * The folder relative connector paths resolve against: Weir's home (eKuiper resolves the file
 * connectors' relative paths against its root the same way). The app sets it at start; until
 * then (unit tests) it is the working directory.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import process from "node:process";

let home = process.cwd();

export function configureIoHome(dir: string): void {
  home = dir;
}

/** `p` itself when absolute, else `p` under the home folder. */
export function resolveHomePath(p: string): string {
  return isAbsolute(p) ? p : join(home, p);
}
