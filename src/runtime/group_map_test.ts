import { expect } from "expect";
import { GroupMap } from "./group_map.ts";

Deno.test("group map: one value keys groups by type and value, in first-seen order", () => {
  const m = new GroupMap<string>();
  const keys: unknown[][] = [[1], ["1"], [true], [null], [-0], [NaN], [new Uint8Array([1])]];
  keys.forEach((k, i) => {
    expect(m.get(k)).toBeUndefined();
    m.add(k, `g${i}`);
  });
  expect(m.size).toBe(7);
  expect(m.get([1.0])).toBe("g0");
  expect(m.get(["1"])).toBe("g1");
  expect(m.get([0])).toBe("g4"); // -0 and 0 are one group, as their key strings are
  expect(m.get([NaN])).toBe("g5");
  expect(m.get([undefined])).toBe("g3"); // null and undefined too
  expect(m.get([new Uint8Array([1])])).toBe("g6");
  expect(m.get(["t"])).toBeUndefined();
  expect(m.values()).toEqual(["g0", "g1", "g2", "g3", "g4", "g5", "g6"]);
});

Deno.test("group map: several values and no value", () => {
  const m = new GroupMap<number>();
  m.add([1, "a"], 1);
  m.add(["1", "a"], 2);
  m.add([], 3);
  expect(m.get([1, "a"])).toBe(1);
  expect(m.get(["1", "a"])).toBe(2);
  expect(m.get([])).toBe(3);
  expect(m.get([1])).toBeUndefined();
  expect(m.values()).toEqual([1, 2, 3]);
});
