import { expect } from "expect";
import { parseDuration } from "./duration.ts";

Deno.test("parseDuration() reads ms integers and Go duration strings", () => {
  expect(parseDuration(1500)).toBe(1500);
  expect(parseDuration("250")).toBe(250);
  expect(parseDuration("1s")).toBe(1000);
  expect(parseDuration("1h30m")).toBe(5_400_000);
  expect(parseDuration("1.5s")).toBe(1500);
  expect(parseDuration("500ms")).toBe(500);
  expect(() => parseDuration("5 sec")).toThrow(/invalid duration/);
  expect(() => parseDuration(-1)).toThrow();
  expect(() => parseDuration(true)).toThrow();
});
