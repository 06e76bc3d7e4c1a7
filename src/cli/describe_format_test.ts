import { expect } from "expect";
import { formatStreamDescription } from "./describe_format.ts";

Deno.test("describe: nested types, defaults, option names as in DDL", () => {
  const text = formatStreamDescription({
    StreamFields: [
      { Name: "id", FieldType: "bigint", DefaultClause: 1 },
      {
        Name: "a",
        FieldType: {
          Type: "array",
          ElementType: { Type: "struct", Fields: [{ Name: "x", FieldType: "string" }] },
        },
      },
    ],
    Options: { datasource: "d", confKey: "k", strictValidation: true },
  });
  expect(text.split("\n")).toEqual([
    "Fields",
    "-".repeat(80),
    "id  bigint DEFAULT 1",
    "a  array(struct(x string))",
    "",
    "DATASOURCE: d",
    "CONF_KEY: k",
    "STRICT_VALIDATION: true",
  ]);
});

Deno.test("describe: a schemaless stream says so", () => {
  expect(formatStreamDescription({ StreamFields: null, Options: {} })).toBe(
    ["Fields", "-".repeat(80), "(schemaless)", ""].join("\n"),
  );
});
