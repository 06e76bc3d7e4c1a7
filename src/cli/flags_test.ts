import { expect } from "expect";
import { parseArgs } from "node:util";
import { type FlagSpec, parseFlags } from "./flags.ts";

const SPECS: Record<string, FlagSpec> = {
  dir: { type: "string", short: "d" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
};

Deno.test("parseFlags: the same values and positionals as node:util's parseArgs", () => {
  const lines = [
    [],
    ["install", "--dir", "/opt/w", "--dry-run"],
    ["--dir=/a=b", "status"],
    ["-hv"],
    ["-d", "x", "run"],
    ["-dx"],
    ["a", "--", "--dir", "-h"],
    ["--dir="],
  ];
  for (const args of lines) {
    const ours = parseFlags(args, SPECS);
    const node = parseArgs({ args, allowPositionals: true, options: SPECS });
    expect({ args, ...ours }).toEqual({
      args,
      values: { ...node.values },
      positionals: node.positionals,
    });
  }
});

Deno.test("parseFlags: bad flags are errors naming them", () => {
  expect(() => parseFlags(["install", "--bogus"], SPECS)).toThrow("Unknown option '--bogus'");
  expect(() => parseFlags(["-x"], SPECS)).toThrow("Unknown option '-x'");
  expect(() => parseFlags(["--dir"], SPECS)).toThrow("Option '--dir <value>' argument missing");
  expect(() => parseFlags(["--help=yes"], SPECS)).toThrow("does not take an argument");
  expect(() => parseFlags(["--dir", "--help"], SPECS)).toThrow("argument is ambiguous");
});
