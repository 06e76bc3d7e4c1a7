import { expect } from "expect";
import { withCaret } from "./caret.ts";

Deno.test("caret: under the column of the named line", () => {
  expect(withCaret("line 1, column 10: expected FROM but found 'FORM'", "SELECT a FORM t")).toBe(
    "line 1, column 10: expected FROM but found 'FORM'\n  SELECT a FORM t\n           ^",
  );
  expect(withCaret("line 2, column 3: x", "SELECT a\n\tFORM t")).toBe(
    "line 2, column 3: x\n  \tFORM t\n  \t ^",
  );
  // end of input: one past the last character
  expect(withCaret("line 1, column 9: y", "SELECT a")).toBe(
    "line 1, column 9: y\n  SELECT a\n          ^",
  );
});

Deno.test("caret: messages without a position inside the SQL are unchanged", () => {
  expect(withCaret("stream demo is not found", "DROP STREAM demo")).toBe(
    "stream demo is not found",
  );
  expect(withCaret("line 3, column 1: z", "SELECT a")).toBe("line 3, column 1: z");
  expect(withCaret("line 1, column 99: z", "SELECT a")).toBe("line 1, column 99: z");
});
