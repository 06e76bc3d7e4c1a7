import { expect } from "expect";
import { builtinFunctions, builtinTables, createRegistry } from "./mod.ts";
import { arityError } from "./signature.ts";

const KINDS = ["scalar", "aggregate", "analytic", "window", "srf", "cols"];
const POLICIES = ["nil", "false", "zero", "custom"];

Deno.test("builtin tables are disjoint and keyed by lowercase name", () => {
  const seen = new Set<string>();
  for (const table of builtinTables) {
    for (const [key, def] of Object.entries(table)) {
      expect(key).toBe(key.toLowerCase());
      expect(def.name).toBe(key);
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  }
  expect(builtinFunctions.names()).toEqual([...seen].sort());
});

Deno.test("every builtin has a sane signature", () => {
  for (const name of builtinFunctions.names()) {
    const def = builtinFunctions.get(name)!;
    expect(KINDS).toContain(def.kind);
    expect(POLICIES).toContain(def.nullPolicy);
    expect(typeof def.exec).toBe("function");
    expect(Number.isInteger(def.minArgs) && def.minArgs >= 0).toBe(true);
    expect(def.maxArgs === Infinity || Number.isInteger(def.maxArgs)).toBe(true);
    expect(def.maxArgs).toBeGreaterThanOrEqual(def.minArgs);
    // Arity is validated at compile time on both sides of the accepted range.
    expect(arityError(def, def.minArgs)).toBe(undefined);
    if (def.minArgs > 0) expect(arityError(def, def.minArgs - 1)).toMatch(/arguments? but found/);
    if (def.maxArgs !== Infinity) {
      expect(arityError(def, def.maxArgs + 1)).toMatch(/arguments? but found/);
    }
  }
});

Deno.test("the walking-skeleton functions are registered", () => {
  const expected = [
    "abs",
    "ceil",
    "ceiling",
    "floor",
    "round",
    "sqrt",
    "power",
    "pow",
    "mod",
    "pi",
    "rand",
    "sign",
    "exp",
    "ln",
    "log",
    "concat",
    "lower",
    "upper",
    "length",
    "trim",
    "ltrim",
    "rtrim",
    "startswith",
    "endswith",
    "indexof",
    "substring",
    "regexp_replace",
    "split_value",
    "lpad",
    "rpad",
    "reverse",
    "numbytes",
    "regexp_matches",
    "cast",
    "to_json",
    "parse_json",
    "isnull",
    "coalesce",
    "newuuid",
    "tstamp",
    "rule_id",
    "md5",
    "sha1",
    "sha256",
    "encode",
    "decode",
    "meta",
    "mqtt",
    "avg",
    "count",
    "max",
    "min",
    "sum",
    "collect",
  ];
  for (const name of expected) expect(builtinFunctions.get(name)?.name).toBe(name);
});

Deno.test("createRegistry() refuses a name defined twice", () => {
  const abs = builtinFunctions.get("abs")!;
  expect(() => createRegistry([{ abs }, { abs }])).toThrow('Function "abs" is defined twice');
});
