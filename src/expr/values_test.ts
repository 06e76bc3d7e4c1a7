import { expect } from "expect";
import {
  formatFloat,
  goString,
  isNilArg,
  toEpochMs,
  toJson,
  typed,
  typeName,
  valueEquals,
  valueToString,
} from "./values.ts";

Deno.test("typeName() gives Go type names", () => {
  expect(typeName("a")).toBe("string");
  expect(typeName(1)).toBe("float64");
  expect(typeName(1, true)).toBe("int64");
  expect(typeName(true)).toBe("bool");
  expect(typeName({})).toBe("map[string]interface {}");
  expect(typeName([])).toBe("[]interface {}");
  expect(typeName(null)).toBe("nil");
  expect(typeName(undefined)).toBe("nil");
  expect(typeName(new Date(0))).toBe("time.Time");
  expect(typeName(new Uint8Array())).toBe("[]uint8");
});

Deno.test("goString() renders values like Go's %v", () => {
  expect(goString(1.5)).toBe("1.5");
  expect(goString(3)).toBe("3");
  expect(goString(1e6)).toBe("1e+06");
  expect(goString(123456)).toBe("123456");
  expect(goString(1234567.5)).toBe("1.2345675e+06");
  expect(goString(0.00001)).toBe("1e-05");
  expect(goString(1e6, true)).toBe("1000000");
  expect(goString([1, "a"])).toBe("[1 a]");
  expect(goString({ b: 2, a: { c: true } })).toBe("map[a:map[c:true] b:2]");
  expect(goString(null)).toBe("<nil>");
  expect(typed("a")).toBe("string(a)");
  expect(typed(2, true)).toBe("int64(2)");
});

Deno.test("formatFloat() never uses an exponent", () => {
  expect(formatFloat(3)).toBe("3");
  expect(formatFloat(-2.5)).toBe("-2.5");
  expect(formatFloat(1e21)).toBe("1000000000000000000000");
  expect(formatFloat(1.5e22)).toBe("15000000000000000000000");
  expect(formatFloat(1e-7)).toBe("0.0000001");
  expect(formatFloat(-1.25e-7)).toBe("-0.000000125");
  expect(formatFloat(NaN)).toBe("NaN");
  expect(formatFloat(-Infinity)).toBe("-Inf");
});

Deno.test("valueToString() is eKuiper's cast to string", () => {
  expect(valueToString("x")).toBe("x");
  expect(valueToString(3.0)).toBe("3");
  expect(valueToString(0.1)).toBe("0.1");
  expect(valueToString(true)).toBe("true");
  expect(valueToString(null)).toBe("");
  expect(valueToString({ a: [1, 2] })).toBe('{"a":[1,2]}');
  expect(valueToString(new TextEncoder().encode("hé"))).toBe("hé");
  expect(valueToString(new Date(0))).toBe("1970-01-01T00:00:00.000Z");
});

Deno.test("toJson() writes bytes as base64 and non-finite numbers as null", () => {
  expect(toJson({ b: new Uint8Array([1, 2, 3]), n: NaN })).toBe('{"b":"AQID","n":null}');
  expect(toJson(undefined)).toBe("null");
});

Deno.test("isNilArg() treats empty arrays and objects as nil (eKuiper quirk)", () => {
  expect(isNilArg(null)).toBe(true);
  expect(isNilArg(undefined)).toBe(true);
  expect(isNilArg([])).toBe(true);
  expect(isNilArg({})).toBe(true);
  expect(isNilArg([0])).toBe(false);
  expect(isNilArg({ a: null })).toBe(false);
  expect(isNilArg("")).toBe(false);
  expect(isNilArg(0)).toBe(false);
  expect(isNilArg(new Date(0))).toBe(false);
  expect(isNilArg(new Uint8Array())).toBe(false);
});

Deno.test("valueEquals() compares by value; null equals nothing", () => {
  expect(valueEquals(1, 1)).toBe(true);
  expect(valueEquals("1", 1)).toBe(false);
  expect(valueEquals(null, null)).toBe(false);
  expect(valueEquals([1, { a: "x" }], [1, { a: "x" }])).toBe(true);
  expect(valueEquals([1, 2], [2, 1])).toBe(false);
  expect(valueEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  expect(valueEquals(new Date(5), 5)).toBe(true);
  expect(valueEquals(new Uint8Array([1]), new Uint8Array([1]))).toBe(true);
});

Deno.test("toEpochMs() reads dates, epoch numbers and date strings", () => {
  expect(toEpochMs(new Date(7))).toBe(7);
  expect(toEpochMs(7)).toBe(7);
  expect(toEpochMs("1970-01-01T00:00:01Z")).toBe(1000);
  expect(toEpochMs("1970-01-01 00:00:01Z")).toBe(1000);
  expect(toEpochMs("later")).toBe(undefined);
});
