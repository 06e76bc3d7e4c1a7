import { expect } from "expect";
import { parseCorpus } from "./golden_corpus.ts";

Deno.test("corpus format: blocks, notes, ERROR markers, blank blocks skipped", () => {
  const text = [
    "# a note",
    "# on two lines",
    "SELECT a",
    "FROM t",
    "====",
    "",
    "====",
    "# ERROR: bad",
    "SELECT",
    "====   ",
    "SELECT `#not a note` FROM t -- # nor this",
    "",
  ].join("\n");
  expect(parseCorpus(text)).toEqual([
    { note: "a note on two lines", sql: "SELECT a\nFROM t", expectError: false },
    { note: "ERROR: bad", sql: "SELECT", expectError: true },
    { note: "", sql: "SELECT `#not a note` FROM t -- # nor this", expectError: false },
  ]);
});
