import { expect } from "expect";
import { RetainedStore } from "./retained.ts";
import { matches } from "./topic_tree.ts";

function found(store: RetainedStore<string>, filter: string): string[] {
  const out: string[] = [];
  store.match(filter, (topic, v) => {
    expect(v).toBe(topic); // the visited topic is rebuilt correctly
    out.push(topic);
  });
  return out.sort();
}

const TOPICS = [
  "a",
  "a/b",
  "a/b/c",
  "a/x/c",
  "ab",
  "b/a",
  "/",
  "/finance",
  "a//b",
  "a/",
  "$SYS",
  "$SYS/broker/load",
  "a/$b",
  "A",
];
const FILTERS = [
  "#",
  "+",
  "+/+",
  "+/#",
  "/+",
  "a",
  "a/#",
  "a/+",
  "a/+/c",
  "a/b/#",
  "a//b",
  "a/+/b",
  "$SYS/#",
  "$SYS/+/load",
  "+/broker/load",
  "A",
];

Deno.test("RetainedStore: a wildcard lookup finds exactly the topics matches() accepts", () => {
  const store = new RetainedStore<string>();
  for (const t of TOPICS) store.set(t, t);
  for (const f of FILTERS) {
    expect([f, found(store, f)]).toEqual([f, TOPICS.filter((t) => matches(f, t)).sort()]);
  }
});

Deno.test("RetainedStore: set, replace, get, delete and prune", () => {
  const store = new RetainedStore<string>();
  for (const t of ["a", "a/b", "a/b/c", "a/x/c", "b", "$SYS/up", "/lead"]) store.set(t, t);
  expect(store.size).toBe(7);
  expect(found(store, "#")).toEqual(["/lead", "a", "a/b", "a/b/c", "a/x/c", "b"]);
  expect(found(store, "a/#")).toEqual(["a", "a/b", "a/b/c", "a/x/c"]);
  expect(found(store, "a/+/c")).toEqual(["a/b/c", "a/x/c"]);
  expect(found(store, "+")).toEqual(["a", "b"]);
  expect(found(store, "+/lead")).toEqual(["/lead"]);
  expect(found(store, "$SYS/#")).toEqual(["$SYS/up"]);
  expect(found(store, "a/b")).toEqual(["a/b"]);

  store.set("a/b", "a/b");
  expect(store.size).toBe(7);
  expect(store.get("a/b")).toBe("a/b");
  expect(store.get("a/q")).toBeUndefined();

  expect(store.delete("a/b")).toBe(true);
  expect(store.delete("a/b")).toBe(false);
  expect(store.get("a/b/c")).toBe("a/b/c"); // the child survives its parent's deletion
  expect(found(store, "a/#")).toEqual(["a", "a/b/c", "a/x/c"]);
  for (const t of ["a", "a/b/c", "a/x/c", "b", "$SYS/up", "/lead"]) store.delete(t);
  expect(store.size).toBe(0);
  expect(found(store, "#")).toEqual([]);
});
