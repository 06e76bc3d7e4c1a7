import { expect } from "expect";
import { buildSinkTransform, selectItem } from "./sink_transform.ts";
import { parseSinkProps } from "./sink_props.ts";
import type { Format } from "../formats/mod.ts";
import { getFormat } from "../formats/mod.ts";

const json = getFormat("json")!;
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** A non-JSON format that shows what it was asked to encode. */
const probe: Format = {
  name: "probe",
  decode: () => ({}),
  encode: (d) => new TextEncoder().encode(`probe:${JSON.stringify(d)}`),
};

Deno.test("transform: the template text is the JSON payload as is; other formats get it parsed", () => {
  const p = parseSinkProps({ dataTemplate: '{"n":{{len .}}}' });
  const raw = buildSinkTransform(p, json, true)([{ a: 1 }, { a: 2 }]);
  expect(text(raw.payload)).toBe('{"n":2}');
  expect(raw.data).toEqual([{ a: 1 }, { a: 2 }]); // dynamic props and form bodies see the result

  const parsed = buildSinkTransform(p, probe, true)([{ a: 1 }]);
  expect(parsed.payload).toBeUndefined(); // the encode step runs the format on `data`
  expect(parsed.data).toEqual({ n: 1 });

  // Row sinks (memory) get the parsed value too; non-JSON output is then an error.
  expect(buildSinkTransform(p, json, false)([{ a: 1 }]).data).toEqual({ n: 1 });
  const notJson = parseSinkProps({ dataTemplate: "n={{len .}}" });
  expect(() => buildSinkTransform(notJson, json, false)([])).toThrow(/not valid JSON/);
});

Deno.test("transform: dataField then fields, as eKuiper's TransItem", () => {
  expect(selectItem({ tele: { h: 1, t: 2, id: 3 }, id: 3 }, "tele", ["h", "t"])).toEqual({
    h: 1,
    t: 2,
  });
  // On an array, dataField reads the first element's field.
  expect(selectItem([{ v: [{ x: 1, y: 2 }] }, { v: [] }], "v", ["x"])).toEqual([{ x: 1 }]);
  expect(selectItem([{ a: 1, b: 2 }, { a: 3 }], undefined, ["a"])).toEqual([{ a: 1 }, { a: 3 }]);
  expect(selectItem([], "v", undefined)).toEqual([]);
  expect(() => selectItem(5, "v", undefined)).toThrow(/not a map/);
  expect(() => selectItem({ v: 5 }, "v", ["a"])).toThrow(/not a map/);
});

Deno.test("transform: dynamic props render from the result before the template", () => {
  const p = parseSinkProps({
    topic: 't/{{index . 0 "dev"}}',
    headers: { "X-Dev": "{{(index . 0).dev}}", Static: "s" },
    dataTemplate: "{{len .}}",
  });
  const item = buildSinkTransform(p, json, true)([{ dev: "d9" }]);
  expect(item.props).toEqual({ topic: "t/d9", "headers.X-Dev": "d9" });
  expect(text(item.payload)).toBe("1");
});
