/**
 * The systemd unit (`/etc/systemd/system/<name>.service`): started at boot after the network,
 * restarted whenever it exits, stopped with SIGTERM (Weir stops its rules and closes the store).
 */
import { serviceArgv, type ServiceSpec } from "./spec.ts";

/** One ExecStart word: double-quoted when needed; `%` and `$` escaped for systemd. */
export function unitWord(s: string): string {
  const escaped = s.replaceAll("%", "%%").replaceAll("$", "$$$$");
  return /^[A-Za-z0-9_\/.:=@%$+,-]+$/.test(escaped)
    ? escaped
    : `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

export function systemdUnitPath(name: string): string {
  return `/etc/systemd/system/${name}.service`;
}

export function renderSystemdUnit(spec: ServiceSpec): string {
  const exe = spec.command[0];
  if (/["'\\$]/.test(exe)) {
    throw new Error(`systemd cannot start a program whose path holds quotes, "\\" or "$": ${exe}`);
  }
  return `# Weir, SQL stream processing for the edge. Written by \`weir service install\`;
# \`weir service uninstall\` removes it. Logs: journalctl -u ${spec.name}
[Unit]
Description=Weir SQL stream processor
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=${serviceArgv(spec).map(unitWord).join(" ")}
WorkingDirectory=${spec.home.replaceAll("%", "%%")}
Environment=NO_COLOR=1
Restart=always
RestartSec=2
KillSignal=SIGTERM
TimeoutStopSec=15

[Install]
WantedBy=multi-user.target
`;
}
