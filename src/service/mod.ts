/**
 * `weir service install|uninstall|status [--init procd|systemd] [--dir PATH] [--dry-run]`:
 * Weir as a boot service, restarted whenever it exits. Rules that were running start again
 * with the server (the store remembers them).
 *
 * @module
 */
import { parseFlags } from "../cli/flags.ts";
import process from "node:process";
import { resolveHome } from "../config/home.ts";
import { detectInitSystem, INIT_SYSTEMS, type InitSystem } from "./init_system.ts";
import { localHost, type ServiceHost } from "./host.ts";
import { install, type Output, status, uninstall } from "./manager.ts";
import { selfCommand } from "./spec.ts";

export const SERVICE_HELP = `Boot service:
  weir service install|uninstall|status [options]
    --init procd|systemd  init system (default: procd on OpenWrt, else systemd)
    --dir PATH            home folder the service uses (default as for serve)
    --dry-run             print what would be written and run, change nothing`;

const CONSOLE: Output = { out: (t) => console.log(t), err: (t) => console.error(t) };

export interface ServiceContext {
  host: ServiceHost;
  /** The program the service starts (binary, or runtime + main.ts). */
  execPath: string;
  /** Folder of main.ts, for running from source. */
  mainDir: string;
  env: Record<string, string | undefined>;
  detect: () => InitSystem;
}

/** Runs one `weir service` command and returns its exit status; never throws. */
export async function runService(
  args: string[],
  mainDir: string,
  io: Output = CONSOLE,
  ctx: Partial<ServiceContext> = {},
): Promise<number> {
  const c: ServiceContext = {
    host: ctx.host ?? localHost(),
    execPath: ctx.execPath ?? process.execPath,
    mainDir,
    env: ctx.env ?? process.env,
    detect: ctx.detect ?? (() => detectInitSystem()),
  };
  let parsed;
  try {
    parsed = parseFlags(args, {
      init: { type: "string" },
      dir: { type: "string" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
  } catch (e) {
    io.err(`weir service: ${(e as Error).message}\n\n${SERVICE_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action] = positionals;
  if (values.help || action === "help") {
    io.out(SERVICE_HELP);
    return 0;
  }
  if (positionals.length !== 1 || !["install", "uninstall", "status"].includes(action)) {
    io.err(`weir service: expected install, uninstall or status\n\n${SERVICE_HELP}`);
    return 2;
  }
  const init = values.init ?? c.detect();
  if (!INIT_SYSTEMS.includes(init as InitSystem)) {
    io.err(`weir service: --init must be procd or systemd, got "${init}"`);
    return 2;
  }
  const name = "weir";
  try {
    if (action === "status") return await status(c.host, init as InitSystem, name, io);
    if (action === "uninstall") {
      return await uninstall(c.host, init as InitSystem, name, values["dry-run"] ?? false, io);
    }
    const home = resolveHome(values.dir, c.mainDir, c.env, c.execPath);
    const spec = { name, command: selfCommand(c.execPath, c.mainDir), home };
    return await install(c.host, init as InitSystem, spec, values["dry-run"] ?? false, io);
  } catch (e) {
    io.err(`weir service ${action}: ${(e as Error).message}`);
    return 1;
  }
}
