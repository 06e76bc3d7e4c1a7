import { expect } from "expect";
import { groupKey } from "./group_key.ts";

Deno.test("group key: equal values share a key, different values and types do not", () => {
  const same = (a: unknown[], b: unknown[]) => expect(groupKey(a)).toBe(groupKey(b));
  const differ = (a: unknown[], b: unknown[]) => expect(groupKey(a)).not.toBe(groupKey(b));
  same([1], [1.0]);
  differ([1], ["1"]);
  differ([true], ["t"]);
  differ([null], ["z"]);
  same([null], [undefined]);
  same([new Uint8Array([1, 2])], [new Uint8Array([1, 2])]);
  same([{ a: 1 }], [{ a: 1 }]);
  same([1, "a"], [1, "a"]);
  differ([1, "a"], ["1", "a"]);
  differ(["a,b"], ["a", "b"]);
  same([1, new Uint8Array([3])], [1, new Uint8Array([3])]);
  expect(groupKey([])).toBe("");
});
