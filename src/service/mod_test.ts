import { expect } from "expect";
import { runService } from "./mod.ts";
import { localHost } from "./host.ts";
import { renderProcdScript } from "./procd.ts";
import { renderSystemdUnit } from "./systemd.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

const CTX = {
  host: { ...localHost("/nonexistent-root"), run: () => Promise.reject(new Error("no run")) },
  execPath: "/opt/weir/weir",
  env: {},
};

Deno.test("service cli: install --dry-run on a detected OpenWrt prints the procd script", async () => {
  const c = capture();
  const code = await runService(["install", "--dry-run"], "/src", c.io, {
    ...CTX,
    detect: () => "procd",
  });
  expect(code).toBe(0);
  expect(c.out.join("\n")).toContain(
    renderProcdScript({ name: "weir", command: ["/opt/weir/weir"], home: "/opt/weir" }),
  );
});

Deno.test("service cli: --init and --dir choose the init system and the home", async () => {
  const c = capture();
  const code = await runService(
    ["install", "--init", "systemd", "--dir", "/var/lib/weir", "--dry-run"],
    "/src",
    c.io,
    { ...CTX, detect: () => "procd" },
  );
  expect(code).toBe(0);
  expect(c.out.join("\n")).toContain(
    renderSystemdUnit({ name: "weir", command: ["/opt/weir/weir"], home: "/var/lib/weir" }),
  );
});

Deno.test("service cli: from source the service runs the runtime with main.ts", async () => {
  const c = capture();
  await runService(["install", "--init", "systemd", "--dir", "/h", "--dry-run"], "/src", c.io, {
    ...CTX,
    execPath: "/usr/local/bin/deno",
  });
  expect(c.out.join("\n")).toMatch(
    /^ExecStart=\/usr\/local\/bin\/deno run -A \/src\/main\.ts serve --dir \/h$/m,
  );
});

Deno.test("service cli: bad command lines exit 2 with a message", async () => {
  for (
    const [args, message] of [
      [[], "expected install, uninstall or status"],
      [["restart"], "expected install, uninstall or status"],
      [["install", "--init", "upstart"], `--init must be procd or systemd, got "upstart"`],
      [["install", "--bogus"], "Unknown option '--bogus'"],
    ] as const
  ) {
    const c = capture();
    expect(await runService([...args], "/src", c.io, CTX)).toBe(2);
    expect(c.err.join("\n")).toContain(message);
  }
});
