import { expect } from "expect";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSystemdUnit, unitWord } from "./systemd.ts";
import { goldenPath, matchGolden } from "./_golden.ts";

Deno.test("systemd: the unit matches its golden file", () => {
  matchGolden(
    goldenPath("weir.service"),
    renderSystemdUnit({ name: "weir", command: ["/opt/weir/weir"], home: "/opt/weir" }),
  );
});

Deno.test("systemd: ExecStart words escape quotes, specifiers and variables", () => {
  expect(unitWord("/opt/weir/weir")).toBe("/opt/weir/weir");
  expect(unitWord("/opt/my weir")).toBe(`"/opt/my weir"`);
  expect(unitWord(`/a "b"\\c`)).toBe(`"/a \\"b\\"\\\\c"`);
  expect(unitWord("/data/100%")).toBe("/data/100%%");
  expect(unitWord("/data/$HOME")).toBe("/data/$$HOME");
});

Deno.test("systemd: an executable path systemd cannot run is refused with a clear error", () => {
  expect(() => renderSystemdUnit({ name: "weir", command: [`/opt/it's/weir`], home: "/h" }))
    .toThrow(`systemd cannot start a program whose path holds quotes, "\\" or "$": /opt/it's/weir`);
});

Deno.test("systemd: the unit restarts Weir always and starts it at boot", () => {
  const unit = renderSystemdUnit({ name: "weir", command: ["/w/weir"], home: "/w" });
  expect(unit).toMatch(/^Restart=always$/m);
  expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
  expect(unit).toMatch(/^ExecStart=\/w\/weir serve --dir \/w$/m);
});

const analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));

Deno.test({
  name: "systemd: systemd-analyze verify accepts the unit, odd paths included",
  ignore: !analyze,
  fn() {
    const dir = mkdtempSync(join(tmpdir(), "weir unit 100% "));
    try {
      // systemd refuses quotes, "\\" and "$" in an executable's path; arguments escape them.
      const bin = join(dir, "bin 100%");
      const home = join(dir, `it's "home" $HOME`);
      mkdirSync(bin);
      mkdirSync(home);
      symlinkSync("/bin/true", join(bin, "weir"));
      const unit = join(dir, "weir.service");
      writeFileSync(unit, renderSystemdUnit({ name: "weir", command: [join(bin, "weir")], home }));
      const r = spawnSync(analyze!, ["verify", unit], { encoding: "utf8" });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
