import { expect } from "expect";
import { parseTime } from "./_time_parse.ts";

Deno.test("parseTime reads eKuiper's Java-like patterns", () => {
  const utc = (s: string) => Date.parse(s);
  expect(parseTime("2026-11-21 20:51:57", "yyyy-MM-dd HH:mm:ss", "UTC")).toBe(
    utc("2026-11-21T20:51:57Z"),
  );
  expect(parseTime("2026-11-21 20:51:57.123", "yyyy-MM-dd HH:mm:ssSSS", "UTC")).toBe(
    utc("2026-11-21T20:51:57.123Z"),
  );
  expect(parseTime("21/Nov/26 08:05 PM", "dd/MMM/yy hh:mm a", "UTC")).toBe(
    utc("2026-11-21T20:05:00Z"),
  );
  expect(parseTime("2026-11-21T20:51:57+08:00", "yyyy-MM-dd'T'HH:mm:ssXXX", "UTC")).toBe(
    utc("2026-11-21T12:51:57Z"),
  );
});

Deno.test("parseTime without a zone in the pattern reads wall-clock time in the given zone", () => {
  expect(parseTime("2026-07-01 12:00:00", "yyyy-MM-dd HH:mm:ss", "Europe/Paris")).toBe(
    Date.parse("2026-07-01T10:00:00Z"),
  );
  expect(parseTime("2026-01-01 12:00:00", "yyyy-MM-dd HH:mm:ss", "Europe/Paris")).toBe(
    Date.parse("2026-01-01T11:00:00Z"),
  );
});

Deno.test("parseTime refuses text that does not fit", () => {
  expect(() => parseTime("2026-13-01 00:00:00", "yyyy-MM-dd HH:mm:ss", "UTC")).toThrow(
    /cannot parse/,
  );
  expect(() => parseTime("yesterday", "yyyy-MM-dd", "UTC")).toThrow(/cannot parse/);
});
