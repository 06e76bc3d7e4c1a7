/**
 * The OpenWrt procd init script (`/etc/init.d/<name>`). procd starts Weir at boot (START=95,
 * after the network), respawns it whenever it exits (retry 0 = forever), sends its output to
 * the system log (`logread`), and restarts it on `reload` when etc/weir.yaml changed.
 */
import { join } from "node:path";
import { serviceArgv, type ServiceSpec } from "./spec.ts";

/** One POSIX shell word: single-quoted, with embedded quotes closed and escaped. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export function procdScriptPath(name: string): string {
  return `/etc/init.d/${name}`;
}

export function renderProcdScript(spec: ServiceSpec): string {
  const command = serviceArgv(spec).map(shellWord).join(" ");
  return `#!/bin/sh /etc/rc.common
# Weir, SQL stream processing for the edge. Written by \`weir service install\`;
# \`weir service uninstall\` removes it. Logs: logread -e ${spec.name}

USE_PROCD=1
START=95
STOP=10

start_service() {
	procd_open_instance
	procd_set_param command ${command}
	# Respawn forever: at most once per 5 s, never giving up.
	procd_set_param respawn 3600 5 0
	procd_set_param file ${shellWord(join(spec.home, "etc", "weir.yaml"))}
	procd_set_param stdout 1
	procd_set_param stderr 1
	procd_close_instance
}
`;
}
