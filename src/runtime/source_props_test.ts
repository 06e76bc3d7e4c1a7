import { expect } from "expect";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfKeys } from "../config/conf_keys.ts";
import type { StreamDef } from "../catalog/stream_def.ts";
import { downsampleOf, resolveSourceProps } from "./source_props.ts";

const keys = new ConfKeys(mkdtempSync(join(tmpdir(), "weir-props-")));

function stream(options: Record<string, string>): StreamDef {
  return { name: "s", kind: "stream", sql: "", fields: [], options };
}

Deno.test("source props: interval is parsed once into intervalMs", () => {
  const def = stream({ DATASOURCE: "t", EXTRA: '{"interval":"500ms"}' });
  const props = resolveSourceProps(def, keys);
  expect(props.intervalMs).toBe(500);
  expect(downsampleOf(def, props)).toEqual({ intervalMs: 500, mergeField: undefined });
  const plain = stream({ DATASOURCE: "t" });
  expect(downsampleOf(plain, resolveSourceProps(plain, keys))).toBeUndefined();
});

Deno.test("source props: bad downsampling settings are clear errors", () => {
  const bad = (extra: unknown, opts: Record<string, string> = {}) => () =>
    resolveSourceProps(stream({ DATASOURCE: "t", EXTRA: JSON.stringify(extra), ...opts }), keys);
  expect(bad({ interval: "soon" })).toThrow('stream s: invalid interval "soon"');
  expect(bad({ mergeField: "id" })).toThrow('mergeField "id" needs an interval');
  expect(bad({ interval: "1s", mergeField: "id" }, { FORMAT: "binary" })).toThrow(
    "mergeField is only supported for the JSON format (format binary",
  );
  expect(bad({ interval: "1s", mergeField: "id" }, { TYPE: "memory" })).toThrow(
    /only supported for the JSON format \(source type memory/,
  );
  expect(bad({ bufferLength: -1 })).toThrow(/bufferLength must be a positive integer/);
  expect(() => resolveSourceProps(stream({ EXTRA: "[1]" }), keys)).toThrow(
    "EXTRA must be a JSON object",
  );
});
