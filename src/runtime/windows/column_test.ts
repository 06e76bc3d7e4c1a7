import { expect } from "expect";
import { Column, RunColumn } from "./column.ts";

Deno.test("column: values across block boundaries read back by index, ranges copy in order", () => {
  const c = new Column<number>();
  const n = 5000; // more than two blocks
  for (let i = 0; i < n; i++) c.push(i * 2);
  expect(c.length).toBe(n);
  expect([c.get(0), c.get(2047), c.get(2048), c.get(4999)]).toEqual([0, 4094, 4096, 9998]);
  expect(c.toArray()).toEqual(Array.from({ length: n }, (_, i) => i * 2));
  const part = new Column<number>();
  part.pushRange(c, 2040, 2060);
  part.pushRange(c, 10, 12);
  expect(part.toArray()).toEqual([
    ...Array.from({ length: 20 }, (_, i) => (2040 + i) * 2),
    20,
    22,
  ]);
});

Deno.test("run column: repeated values are kept once per run and read back by index", () => {
  const r = new RunColumn<string>();
  for (const v of ["a", "a", "a", "b", "a", "a", "c"]) r.push(v);
  expect(r.length).toBe(7);
  expect(r.runs).toBe(4);
  expect(Array.from({ length: 7 }, (_, i) => r.get(i)).join("")).toBe("aaabaac");
  expect([0, 1, 2, 3].map((k) => [r.runValue(k), r.runStart(k), r.runEnd(k)])).toEqual([
    ["a", 0, 3],
    ["b", 3, 4],
    ["a", 4, 6],
    ["c", 6, 7],
  ]);
  const part = new RunColumn<string>();
  part.pushRange(r, 2, 6); // "abaa"
  part.pushRun("a", 2); // joins the last run
  part.pushRange(r, 0, 0);
  expect(part.length).toBe(6);
  expect(part.runs).toBe(3);
  expect(Array.from({ length: 6 }, (_, i) => part.get(i)).join("")).toBe("abaaaa");
});
