import { expect } from "expect";
import { type FileRecord, RecordDecoder } from "./records.ts";
import type { FileSourceSettings } from "./settings.ts";

function settings(p: Partial<FileSourceSettings>): FileSourceSettings {
  return {
    target: "",
    fileType: "csv",
    interval: 0,
    sendInterval: 0,
    ignoreStartLines: 0,
    ignoreEndLines: 0,
    actionAfterRead: 0,
    moveTo: undefined,
    hasHeader: false,
    columns: undefined,
    delimiter: ",",
    decompression: "",
    schema: undefined,
    ...p,
  };
}

function decode(s: FileSourceSettings, batches: string[][]) {
  const d = new RecordDecoder(s);
  const out: FileRecord[] = [];
  const errors: string[] = [];
  for (const b of batches) d.push(b, out, errors);
  d.finish(out, errors);
  return { rows: out.map((r) => r.row ?? new TextDecoder().decode(r.payload)), errors };
}

Deno.test("RecordDecoder csv: a quoted field over several lines and batches", () => {
  const s = settings({ hasHeader: true });
  expect(decode(s, [["id,note", '1,"first'], ["", 'second"', "2,plain\r"]]).rows).toEqual([
    { id: "1", note: "first\n\nsecond" },
    { id: "2", note: "plain" },
  ]);
  expect(() => decode(s, [["id,note", '1,"never closed']])).toThrow(/unterminated quoted field/);
  expect(() => decode(s, [[""]])).toThrow(/csv header not found/);
});

Deno.test("RecordDecoder json: whole array over batches; lines: one payload per line", () => {
  const json = settings({ fileType: "json" });
  expect(decode(json, [['[{"a":1},'], ['{"a":2}]']]).rows).toEqual([{ a: 1 }, { a: 2 }]);
  expect(decode(json, [['{"single":true}']]).rows).toEqual([{ single: true }]);
  expect(() => decode(json, [["[{"]])).toThrow(/invalid JSON/);
  const lines = settings({ fileType: "lines" });
  expect(decode(lines, [["a\r", "", "b"]]).rows).toEqual(["a", "b"]);
});
