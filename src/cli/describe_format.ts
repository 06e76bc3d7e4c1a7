/**
 * `describe stream|table` output in the layout of eKuiper's `kuiper` CLI, built from the JSON of
 * `GET /streams/{name}`:
 *
 *     Fields
 *     --------------------------------------------------------------------------------
 *     id  bigint
 *     loc  struct(lat float, lng float)
 *
 *     DATASOURCE: topic/temperature
 *     FORMAT: json
 *
 * @module
 */

/** One field of the describe JSON (`{"Name": "id", "FieldType": "bigint"}`). */
interface FieldJson {
  Name: string;
  FieldType: TypeJson;
  DefaultClause?: unknown;
}

type TypeJson = string | { Type: string; ElementType?: TypeJson; Fields?: FieldJson[] };

interface DescribeJson {
  StreamFields?: FieldJson[] | null;
  Options?: Record<string, unknown>;
}

const RULE = "-".repeat(80);

/** The text `kuiper describe stream` prints for a describe JSON body. */
export function formatStreamDescription(body: unknown): string {
  const d = body as DescribeJson;
  const lines = ["Fields", RULE];
  for (const f of d.StreamFields ?? []) {
    const dflt = f.DefaultClause === undefined ? "" : ` DEFAULT ${JSON.stringify(f.DefaultClause)}`;
    lines.push(`${f.Name}  ${typeText(f.FieldType)}${dflt}`);
  }
  if ((d.StreamFields ?? []).length === 0) lines.push("(schemaless)");
  lines.push("");
  for (const [key, value] of Object.entries(d.Options ?? {})) {
    lines.push(`${optionName(key)}: ${value}`);
  }
  return lines.join("\n");
}

function typeText(t: TypeJson): string {
  if (typeof t === "string") return t;
  if (t.Type === "array" && t.ElementType !== undefined) return `array(${typeText(t.ElementType)})`;
  if (t.Type === "struct") {
    return `struct(${
      (t.Fields ?? []).map((f) => `${f.Name} ${typeText(f.FieldType)}`).join(", ")
    })`;
  }
  return t.Type;
}

/** The REST JSON's option keys (`confKey`, `strictValidation`) as written in DDL (`CONF_KEY`). */
function optionName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}
