import { expect } from "expect";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CommandResult, localHost, type ServiceHost } from "./host.ts";
import { install, status, uninstall } from "./manager.ts";
import { renderProcdScript } from "./procd.ts";
import { renderSystemdUnit } from "./systemd.ts";

const SPEC = { name: "weir", command: ["/opt/weir/weir"], home: "/opt/weir" };

/** A real file system under a temporary root; init commands are recorded and answered from
 * `answers` (procd and systemctl are not on the test machine). */
function sandbox(answers: Record<string, CommandResult> = {}) {
  const root = mkdtempSync(join(tmpdir(), "weir-svc-"));
  const ran: string[] = [];
  const lines: string[] = [];
  const host: ServiceHost = {
    ...localHost(root),
    run: (argv) => {
      ran.push(argv.join(" "));
      return Promise.resolve(answers[argv.join(" ")] ?? { code: 0, output: "" });
    },
  };
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(`ERR ${t}`) };
  return { root, host, ran, lines, io, done: () => rmSync(root, { recursive: true, force: true }) };
}

Deno.test("service: procd install writes an executable init script, enables and starts it", async () => {
  const s = sandbox();
  try {
    expect(await install(s.host, "procd", SPEC, false, s.io)).toBe(0);
    const file = join(s.root, "etc/init.d/weir");
    expect(readFileSync(file, "utf8")).toBe(renderProcdScript(SPEC));
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(s.ran).toEqual(["/etc/init.d/weir enable", "/etc/init.d/weir restart"]);

    expect(await uninstall(s.host, "procd", "weir", false, s.io)).toBe(0);
    expect(s.host.exists("/etc/init.d/weir")).toBe(false);
    expect(s.ran.slice(2)).toEqual(["/etc/init.d/weir stop", "/etc/init.d/weir disable"]);
  } finally {
    s.done();
  }
});

Deno.test("service: systemd install writes the unit, reloads, enables and restarts", async () => {
  const s = sandbox();
  try {
    expect(await install(s.host, "systemd", SPEC, false, s.io)).toBe(0);
    const file = join(s.root, "etc/systemd/system/weir.service");
    expect(readFileSync(file, "utf8")).toBe(renderSystemdUnit(SPEC));
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(s.ran).toEqual([
      "systemctl daemon-reload",
      "systemctl enable weir.service",
      "systemctl restart weir.service",
    ]);
    expect(await uninstall(s.host, "systemd", "weir", false, s.io)).toBe(0);
    expect(s.ran.slice(3)).toEqual([
      "systemctl disable --now weir.service",
      "systemctl daemon-reload",
    ]);
    expect(s.host.exists("/etc/systemd/system/weir.service")).toBe(false);
  } finally {
    s.done();
  }
});

Deno.test("service: --dry-run prints the file and the commands and changes nothing", async () => {
  const s = sandbox();
  try {
    expect(await install(s.host, "procd", SPEC, true, s.io)).toBe(0);
    expect(s.lines.join("\n")).toContain(renderProcdScript(SPEC));
    expect(s.lines.join("\n")).toContain("/etc/init.d/weir enable");
    expect(s.host.exists("/etc/init.d/weir")).toBe(false);
    expect(await uninstall(s.host, "systemd", "weir", true, s.io)).toBe(0);
    expect(s.ran).toEqual([]);
  } finally {
    s.done();
  }
});

Deno.test("service: a failing init command is reported with its output and exit status 1", async () => {
  const s = sandbox({
    "systemctl daemon-reload": { code: 1, output: "System has not been booted with systemd" },
  });
  try {
    expect(await install(s.host, "systemd", SPEC, false, s.io)).toBe(1);
    expect(s.lines).toEqual([
      "ERR weir service: `systemctl daemon-reload` failed (exit 1): System has not been booted with systemd",
    ]);
  } finally {
    s.done();
  }
});

Deno.test("service: status reads enabled/running from the init system (0 running, 3 not)", async () => {
  const s = sandbox({
    "/etc/init.d/weir status": { code: 0, output: "running" },
    "systemctl is-enabled weir.service": { code: 0, output: "enabled" },
    "systemctl is-active weir.service": { code: 3, output: "failed" },
  });
  try {
    expect(await status(s.host, "procd", "weir", s.io)).toBe(3);
    expect(s.lines.pop()).toBe("installed: no (procd: no /etc/init.d/weir)");
    await install(s.host, "procd", SPEC, false, s.io);
    await install(s.host, "systemd", SPEC, false, s.io);
    expect(await status(s.host, "procd", "weir", s.io)).toBe(0);
    expect(s.lines.pop()).toBe("installed: yes (/etc/init.d/weir)\nenabled: yes\nrunning: yes");
    expect(await status(s.host, "systemd", "weir", s.io)).toBe(3);
    expect(s.lines.pop()).toBe(
      "installed: yes (/etc/systemd/system/weir.service)\nenabled: yes\nrunning: no",
    );
  } finally {
    s.done();
  }
});

Deno.test("service: a write refused by the file system is a clear error", async () => {
  const s = sandbox();
  const host: ServiceHost = {
    ...s.host,
    write: () => {
      throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
    },
  };
  try {
    expect(await install(host, "procd", SPEC, false, s.io)).toBe(1);
    expect(s.lines).toEqual([
      "ERR weir service: cannot write /etc/init.d/weir: permission denied (run it as root)",
    ]);
    expect(s.ran).toEqual([]);
  } finally {
    s.done();
  }
});
