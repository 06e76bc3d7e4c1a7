/** Which init system starts services on this machine: procd on OpenWrt, systemd elsewhere. */
import { existsSync } from "node:fs";

export type InitSystem = "procd" | "systemd";

export const INIT_SYSTEMS: readonly InitSystem[] = ["procd", "systemd"];

/** procd when the machine looks like OpenWrt (its release file, or procd itself). */
export function detectInitSystem(exists: (path: string) => boolean = existsSync): InitSystem {
  return exists("/etc/openwrt_release") || exists("/sbin/procd") ? "procd" : "systemd";
}
