/**
 * Installing, removing and querying the boot service on procd or systemd. Each operation is a
 * file to write or remove plus the init system's own commands, so `--dry-run` can print exactly
 * what would happen.
 */
import type { InitSystem } from "./init_system.ts";
import type { ServiceHost } from "./host.ts";
import { type ServiceSpec } from "./spec.ts";
import { procdScriptPath, renderProcdScript } from "./procd.ts";
import { renderSystemdUnit, systemdUnitPath } from "./systemd.ts";

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export function serviceFile(init: InitSystem, name: string): string {
  return init === "procd" ? procdScriptPath(name) : systemdUnitPath(name);
}

/** The file content and the commands that enable and (re)start the service. */
export function installPlan(init: InitSystem, spec: ServiceSpec): {
  file: string;
  content: string;
  mode: number;
  commands: string[][];
} {
  const file = serviceFile(init, spec.name);
  if (init === "procd") {
    return {
      file,
      content: renderProcdScript(spec),
      mode: 0o755,
      commands: [[file, "enable"], [file, "restart"]],
    };
  }
  const unit = `${spec.name}.service`;
  return {
    file,
    content: renderSystemdUnit(spec),
    mode: 0o644,
    commands: [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", unit],
      ["systemctl", "restart", unit],
    ],
  };
}

/** Commands run before the file is removed, and after. */
export function uninstallPlan(init: InitSystem, name: string): {
  file: string;
  before: string[][];
  after: string[][];
} {
  const file = serviceFile(init, name);
  if (init === "procd") return { file, before: [[file, "stop"], [file, "disable"]], after: [] };
  const unit = `${name}.service`;
  return {
    file,
    before: [["systemctl", "disable", "--now", unit]],
    after: [["systemctl", "daemon-reload"]],
  };
}

async function runAll(host: ServiceHost, commands: string[][], io: Output): Promise<boolean> {
  for (const argv of commands) {
    const r = await host.run(argv);
    if (r.code !== 0) {
      io.err(
        `weir service: \`${argv.join(" ")}\` failed (exit ${r.code})${
          r.output ? `: ${r.output}` : ""
        }`,
      );
      return false;
    }
  }
  return true;
}

function writeError(file: string, e: unknown): string {
  const code = (e as { code?: string }).code;
  const why = code === "EACCES" || code === "EPERM"
    ? "permission denied (run it as root)"
    : (e as Error).message;
  return `weir service: cannot write ${file}: ${why}`;
}

export async function install(
  host: ServiceHost,
  init: InitSystem,
  spec: ServiceSpec,
  dryRun: boolean,
  io: Output,
): Promise<number> {
  const plan = installPlan(init, spec);
  if (dryRun) {
    io.out(`# would write ${plan.file} (mode ${plan.mode.toString(8)}):\n${plan.content}`);
    io.out(`# then run:\n${plan.commands.map((c) => c.join(" ")).join("\n")}`);
    return 0;
  }
  try {
    host.write(plan.file, plan.content, plan.mode);
  } catch (e) {
    io.err(writeError(plan.file, e));
    return 1;
  }
  if (!await runAll(host, plan.commands, io)) return 1;
  io.out(`installed ${plan.file} (${init}); Weir starts now and at every boot, home ${spec.home}`);
  return 0;
}

export async function uninstall(
  host: ServiceHost,
  init: InitSystem,
  name: string,
  dryRun: boolean,
  io: Output,
): Promise<number> {
  const plan = uninstallPlan(init, name);
  if (dryRun) {
    io.out(
      [
        ...plan.before.map((c) => c.join(" ")),
        `rm ${plan.file}`,
        ...plan.after.map((c) => c.join(" ")),
      ]
        .join("\n"),
    );
    return 0;
  }
  if (!host.exists(plan.file)) {
    io.out(`weir service: not installed (no ${plan.file})`);
    return 0;
  }
  if (!await runAll(host, plan.before, io)) return 1;
  try {
    host.remove(plan.file);
  } catch (e) {
    io.err(writeError(plan.file, e));
    return 1;
  }
  if (!await runAll(host, plan.after, io)) return 1;
  io.out(`removed ${plan.file}; Weir no longer starts at boot (etc/ and data/ are kept)`);
  return 0;
}

/** Prints installed/enabled/running; exit status 0 when running, 3 otherwise (as LSB status). */
export async function status(
  host: ServiceHost,
  init: InitSystem,
  name: string,
  io: Output,
): Promise<number> {
  const file = serviceFile(init, name);
  if (!host.exists(file)) {
    io.out(`installed: no (${init}: no ${file})`);
    return 3;
  }
  let enabled: boolean;
  let running: boolean;
  if (init === "procd") {
    enabled = (await host.run([file, "enabled"])).code === 0;
    const st = await host.run([file, "status"]);
    running = st.code === 0 && /^running/m.test(st.output);
  } else {
    const unit = `${name}.service`;
    enabled = (await host.run(["systemctl", "is-enabled", unit])).output === "enabled";
    running = (await host.run(["systemctl", "is-active", unit])).output === "active";
  }
  const yes = (b: boolean) => b ? "yes" : "no";
  io.out(`installed: yes (${file})\nenabled: ${yes(enabled)}\nrunning: ${yes(running)}`);
  return running ? 0 : 3;
}
