import { expect } from "expect";
import { detectInitSystem } from "./init_system.ts";

Deno.test("init system: OpenWrt's release file or procd means procd, otherwise systemd", () => {
  const only = (...paths: string[]) => (p: string) => paths.includes(p);
  expect(detectInitSystem(only("/etc/openwrt_release"))).toBe("procd");
  expect(detectInitSystem(only("/sbin/procd"))).toBe("procd");
  expect(detectInitSystem(only("/etc/debian_version"))).toBe("systemd");
});
