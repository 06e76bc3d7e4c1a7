/**
 * A sink's transform step, as eKuiper's: one result (a row when `sendSingle`, else the array
 * of rows) -> `dataTemplate` -> `dataField` -> `fields` -> encode. The order and the shortcuts
 * follow eKuiper: a templated result with neither `dataField` nor `fields` is sent as the
 * template's text (re-parsed as JSON only for non-JSON formats and row sinks); `dataField` on an
 * array reads the first element's field; `fields` picks keys of a map or of each map of an array.
 * Dynamic props are rendered from the result before the template.
 *
 * @module
 */
import type { SinkItem } from "../io/types.ts";
import type { Format } from "../formats/mod.ts";
import type { Row } from "./tuple.ts";
import type { SinkCommonProps } from "./sink_props.ts";

const encoder = new TextEncoder();

export type SinkTransform = (data: Row | Row[]) => SinkItem;

function isMap(v: unknown): v is Row {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function pick(m: Row, fields: string[]): Row {
  const out: Row = {};
  for (const f of fields) if (Object.hasOwn(m, f)) out[f] = m[f];
  return out;
}

/** eKuiper's TransItem: dataField, then fields. */
export function selectItem(
  input: unknown,
  dataField: string | undefined,
  fields: string[] | undefined,
): unknown {
  let v = input;
  if (dataField !== undefined) {
    if (isMap(v)) v = v[dataField];
    else if (Array.isArray(v)) {
      if (v.length === 0) return v;
      const first = v[0];
      if (!isMap(first)) throw new Error(`dataField ${dataField}: the result is not a map`);
      v = first[dataField];
    } else throw new Error(`dataField ${dataField}: the result is not a map`);
  }
  if (fields === undefined) return v;
  if (isMap(v)) return pick(v, fields);
  if (Array.isArray(v)) {
    return v.map((x) => {
      if (!isMap(x)) throw new Error("fields: the result is not a map or an array of maps");
      return pick(x, fields);
    });
  }
  throw new Error("fields: the result is not a map or an array of maps");
}

function parseTemplated(text: string): Row | Row[] {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`the dataTemplate output is not valid JSON: ${(e as Error).message}`);
  }
}

/** Builds the transform of one sink. `encode` is false for row sinks (memory). The item comes
 * back without `payload` unless the template text is the payload; the encode step fills it. */
export function buildSinkTransform(
  p: SinkCommonProps,
  format: Format,
  encode: boolean,
): SinkTransform {
  const { dataTemplate, dataField, fields, dynamic } = p;
  const selecting = dataField !== undefined || fields !== undefined;
  const rawJson = encode && format.name === "json";
  const dynamicProps = dynamic.size > 0 ? [...dynamic] : undefined;

  return (data) => {
    let props: Record<string, string> | undefined;
    if (dynamicProps) {
      props = {};
      for (const [k, t] of dynamicProps) props[k] = t.render(data);
    }
    let out: unknown = data;
    if (dataTemplate) {
      const text = dataTemplate.render(data);
      if (!selecting && rawJson) {
        // eKuiper sends the template's text as is for JSON: it need not be JSON at all.
        return { data, payload: encoder.encode(text), props };
      }
      out = parseTemplated(text);
    }
    if (selecting) out = selectItem(out, dataField, fields);
    return { data: out as Row | Row[], props };
  };
}
