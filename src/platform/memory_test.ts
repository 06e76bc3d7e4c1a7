import { expect } from "expect";
import process from "node:process";
import { releaseMemory } from "./memory.ts";

Deno.test("releaseMemory: a last-resort GC under V8 hands a grown heap back", async () => {
  let garbage: number[][] | undefined = [];
  for (let i = 0; i < 200_000; i++) garbage.push([i, i + 1, i + 2]);
  const grown = process.memoryUsage().heapTotal;
  garbage = undefined;
  expect(await releaseMemory()).toBe(true);
  expect(process.memoryUsage().heapTotal).toBeLessThan(grown);
  // The flag is off again: a new context is not given gc().
  const vm = await import("node:vm");
  expect(vm.runInNewContext("typeof gc")).toBe("undefined");
});
