import { expect } from "expect";
import { FormatError, formatNames, getFormat, getFormatSpec } from "./mod.ts";

Deno.test("getFormat keeps its meaning: a format by case-insensitive name, undefined if unknown", () => {
  expect(getFormat("JSON")!.name).toBe("json");
  expect(getFormat("xml")).toBeUndefined();
  expect(formatNames().sort()).toEqual(
    ["binary", "custom", "delimited", "json", "protobuf", "urlencoded"],
  );
});

Deno.test("getFormat throws a FormatError (HTTP 400) for bad settings", () => {
  expect(() => getFormat("protobuf")).toThrow(FormatError);
  expect(() => getFormat("custom", { schemaId: "" })).toThrow(/requires a schemaId/);
  expect(() => getFormat("delimited", {})).toThrow(FormatError);
  expect(getFormatSpec("protobuf")!.schemaId).toBe("required");
  expect(getFormatSpec("custom")!.schemaId).toBe("required");
  expect(getFormatSpec("json")!.schemaId).toBe("none");
});
