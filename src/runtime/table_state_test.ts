import { expect } from "expect";
import { TableState } from "./table_state.ts";
import type { Tuple } from "./tuple.ts";

const t = (id: number): Tuple => ({ emitter: "t", message: { id }, meta: undefined, timestamp: 0 });

Deno.test("TableState keeps the latest RETAIN_SIZE rows, oldest first; snapshots stay stable", () => {
  const s = new TableState(2);
  s.add([t(1)]);
  const first = s.snapshot();
  s.add([t(2), t(3)]);
  expect(s.snapshot().map((r) => r.message.id)).toEqual([2, 3]);
  expect(first.map((r) => r.message.id)).toEqual([1]);
  s.add([]);
  expect(s.size()).toBe(2);
  const one = new TableState(1);
  one.add([t(1), t(2)]);
  expect(one.snapshot().map((r) => r.message.id)).toEqual([2]);
});
