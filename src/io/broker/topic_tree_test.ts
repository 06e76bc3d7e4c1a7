import { expect } from "expect";
import { matches, TopicTree, validFilter, validTopic } from "./topic_tree.ts";

/** [filter, topic, matches?] */
const MATCH_TABLE: [string, string, boolean][] = [
  ["a/b/c", "a/b/c", true],
  ["a/b/c", "a/b", false],
  ["a/b", "a/b/c", false],
  ["a/+/c", "a/b/c", true],
  ["a/+/c", "a/b/d", false],
  ["a/+", "a/b/c", false],
  ["+/+", "a/b", true],
  ["+", "a", true],
  ["+", "a/b", false],
  ["#", "a", true],
  ["#", "a/b/c", true],
  ["a/#", "a/b/c", true],
  ["a/#", "a/b", true],
  ["a/#", "a", true], // "#" includes the parent level
  ["a/#", "ab", false],
  ["a/#", "b/a", false],
  ["a/b/#", "a", false],
  ["+/b/#", "x/b", true],
  ["+/#", "a", true],
  // Empty levels are levels.
  ["+/+", "/finance", true],
  ["/+", "/finance", true],
  ["+", "/finance", false],
  ["a//b", "a//b", true],
  ["a/+/b", "a//b", true],
  ["a/+", "a/", true],
  // "$" topics: no leading wildcard matches them, an explicit "$" level does.
  ["#", "$SYS/broker/load", false],
  ["+/broker/load", "$SYS/broker/load", false],
  ["+", "$SYS", false],
  ["$SYS/#", "$SYS/broker/load", true],
  ["$SYS/+/load", "$SYS/broker/load", true],
  ["$SYS/#", "$SYS", true],
  ["a/#", "a/$b", true], // only the first level is special
  // Case-sensitive, no trimming.
  ["A", "a", false],
  ["a ", "a", false],
];

Deno.test("matches(): table", () => {
  for (const [filter, topic, want] of MATCH_TABLE) {
    expect([filter, topic, matches(filter, topic)]).toEqual([filter, topic, want]);
  }
});

Deno.test("TopicTree: agrees with the table, one filter at a time", () => {
  for (const [filter, topic, want] of MATCH_TABLE) {
    const tree = new TopicTree<string, number>();
    tree.add(filter, "s", 1);
    const seen: string[] = [];
    tree.match(topic, (k) => seen.push(k));
    expect([filter, topic, seen.length === 1]).toEqual([filter, topic, want]);
  }
});

Deno.test("TopicTree: all filters at once, each visited once per matching filter", () => {
  const tree = new TopicTree<string, string>();
  for (const [filter] of MATCH_TABLE) tree.add(filter, filter, filter);
  const topics = [...new Set(MATCH_TABLE.map(([, t]) => t))];
  const filters = [...new Set(MATCH_TABLE.map(([f]) => f))];
  for (const topic of topics) {
    const seen: string[] = [];
    tree.match(topic, (_k, f) => seen.push(f));
    expect([topic, seen.sort()]).toEqual([topic, filters.filter((f) => matches(f, topic)).sort()]);
  }
});

Deno.test("TopicTree: several subscribers on one filter, replace and remove", () => {
  const tree = new TopicTree<string, number>();
  expect(tree.add("a/+", "x", 0)).toBe(true);
  expect(tree.add("a/+", "y", 1)).toBe(true);
  expect(tree.add("a/+", "x", 2)).toBe(false); // replaced, not added
  expect(tree.size).toBe(2);
  const seen: [string, number][] = [];
  tree.match("a/b", (k, v) => seen.push([k, v]));
  expect(seen).toEqual([["x", 2], ["y", 1]]);

  expect(tree.remove("a/+", "x")).toBe(true);
  expect(tree.remove("a/+", "x")).toBe(false);
  expect(tree.remove("a/b", "y")).toBe(false);
  expect(tree.remove("a/+", "y")).toBe(true);
  expect(tree.size).toBe(0);
  const none: string[] = [];
  tree.match("a/b", (k) => none.push(k));
  expect(none).toEqual([]);
});

Deno.test("TopicTree: many subscriptions, matching touches only the relevant branches", () => {
  const tree = new TopicTree<number, number>();
  for (let i = 0; i < 10_000; i++) tree.add(`dev/${i}/temp`, i, 0);
  tree.add("dev/+/temp", -1, 0);
  tree.add("dev/#", -2, 0);
  const seen: number[] = [];
  tree.match("dev/42/temp", (k) => seen.push(k));
  expect(seen.sort((a, b) => a - b)).toEqual([-2, -1, 42]);
  for (let i = 0; i < 10_000; i++) tree.remove(`dev/${i}/temp`, i);
  expect(tree.size).toBe(2);
});

Deno.test("validFilter / validTopic", () => {
  for (const f of ["a", "a/b", "+", "#", "a/+/b", "a/#", "+/+/#", "/", "a//b", "$SYS/#"]) {
    expect([f, validFilter(f)]).toEqual([f, true]);
  }
  for (const f of ["", "a/#/b", "a#", "a/b#", "a+", "a/+b/c", "##", "#/a", "a\0b"]) {
    expect([f, validFilter(f)]).toEqual([f, false]);
  }
  for (const t of ["a", "a/b", "/", "$SYS/x", "a b"]) expect([t, validTopic(t)]).toEqual([t, true]);
  for (const t of ["", "a/+", "a/#", "+", "a\0"]) expect([t, validTopic(t)]).toEqual([t, false]);
});
