import { expect } from "expect";
import { topicMatches, validateTopicFilter, validateTopicName } from "../topic.ts";

Deno.test("topicMatches: MQTT wildcard table", () => {
  const table: [string, string, boolean][] = [
    ["a/b", "a/b", true],
    ["a/b", "a/c", false],
    ["a/b", "a/b/c", false],
    ["a/+", "a/b", true],
    ["a/+", "a/b/c", false],
    ["a/+", "a", false],
    ["a/+", "a/", true], // empty level
    ["+/b", "a/b", true],
    ["+/+", "/b", true],
    ["+", "a", true],
    ["+", "a/b", false],
    ["a/+/c", "a/b/c", true],
    ["a/+/c", "a/b/d", false],
    ["a/#", "a", true], // '#' also matches the parent level
    ["a/#", "a/b", true],
    ["a/#", "a/b/c", true],
    ["a/#", "ab", false],
    ["a/b/#", "a/b", true],
    ["#", "a/b/c", true],
    ["#", "/", true],
    ["+/#", "a", true],
    // $-topics are not matched by a leading wildcard.
    ["#", "$SYS/broker", false],
    ["+/broker", "$SYS/broker", false],
    ["$SYS/#", "$SYS/broker", true],
    ["$SYS/+", "$SYS/broker", true],
    ["a/#", "a/$x", true],
    // Shared subscriptions match as their inner filter.
    ["$share/g/a/+", "a/b", true],
    ["$share/g/#", "x/y", true],
    ["$share/g/a", "b", false],
    // Case-sensitive, no trimming.
    ["A/b", "a/b", false],
    ["a/b ", "a/b", false],
  ];
  for (const [filter, topic, want] of table) {
    expect([filter, topic, topicMatches(filter, topic)]).toEqual([filter, topic, want]);
  }
});

Deno.test("validateTopicFilter accepts valid filters and names the problem otherwise", () => {
  for (const ok of ["a", "a/b", "+", "#", "a/+/c", "a/#", "/", "+/+/#", "$share/g/a/+", "$SYS/#"]) {
    expect(() => validateTopicFilter(ok)).not.toThrow();
  }
  expect(() => validateTopicFilter("")).toThrow(/non-empty/);
  expect(() => validateTopicFilter("a/#/b")).toThrow(/'#' must be the whole last level/);
  expect(() => validateTopicFilter("a#")).toThrow(/'#'/);
  expect(() => validateTopicFilter("a/b+")).toThrow(/'\+' must be a whole level/);
  expect(() => validateTopicFilter("a/\u0000")).toThrow(/NUL/);
  expect(() => validateTopicFilter("$share/g")).toThrow(/no topic filter/);
  expect(() => validateTopicFilter("$share//a")).toThrow(/group/);
});

Deno.test("validateTopicName refuses wildcards", () => {
  expect(() => validateTopicName("a/b")).not.toThrow();
  expect(() => validateTopicName("a/+")).toThrow(/wildcards/);
  expect(() => validateTopicName("#")).toThrow(/wildcards/);
  expect(() => validateTopicName("")).toThrow(/non-empty/);
});
