import { expect } from "expect";
import { field, int, num, str } from "../expr/_test_ast.ts";
import { check, err, returnType, run, table } from "./_test_util.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("cast() converts between eKuiper types", (t) =>
  table(t, [
    ["cast", [1.9, "bigint"], 1],
    ["cast", [-1.9, "bigint"], -1],
    ["cast", ["12", "bigint"], 12],
    ["cast", ["abc", "bigint"], err("not supported type conversion from string(abc) to bigint")],
    ["cast", [true, "bigint"], 1],
    ["cast", ["1.5", "float"], 1.5],
    ["cast", ["", "float"], err("not supported type conversion from string() to float")],
    ["cast", [false, "float"], 0],
    ["cast", [1, "string"], "1"],
    ["cast", [1.5, "string"], "1.5"],
    ["cast", [{ a: 1 }, "string"], '{"a":1}'],
    ["cast", ["true", "boolean"], true],
    ["cast", ["F", "boolean"], false],
    ["cast", ["yes", "boolean"], err("not supported type conversion from string(yes) to boolean")],
    ["cast", [0, "boolean"], false],
    ["cast", [2, "boolean"], true],
    ["cast", [null, "bigint"], null],
    ["cast", [[1], "string"], "[1]"],
    ["cast", [[], "string"], null],
  ]));

Deno.test("cast() to datetime and bytea", () => {
  expect(run("cast", 1000, "datetime")).toEqual(new Date(1000));
  expect(run("cast", "2020-01-01T00:00:00Z", "datetime")).toEqual(new Date(Date.UTC(2020, 0, 1)));
  expect(() => run("cast", "soon", "datetime")).toThrow(
    "not supported type conversion from string(soon) to datetime",
  );
  expect(run("cast", "abc", "bytea")).toEqual(bytes("abc"));
  expect(() => run("cast", 1, "bytea")).toThrow("to bytea");
});

Deno.test("cast() validates its literal target and returns it as the static type", () => {
  expect(check("cast", field("a"), str("float"))).toBe(undefined);
  expect(check("cast", field("a"), int(1))).toBe("Expect string type for parameter 2");
  expect(check("cast", field("a"), field("b"))).toBe("Expect string type for parameter 2");
  expect(check("cast", field("a"), str("money"))).toBe(
    "Expect one of following value for the 2nd parameter: bigint, float, string, boolean, datetime, bytea.",
  );
  expect(returnType("cast", ["any", "string"], [field("a"), str("bigint")])).toBe("bigint");
  expect(returnType("cast", ["any", "string"], [field("a"), str("datetime")])).toBe("datetime");
});

Deno.test("to_json() and parse_json()", (t) =>
  table(t, [
    ["to_json", [{ a: 1, b: [true, null] }], '{"a":1,"b":[true,null]}'],
    ["to_json", [null], "null"],
    ["to_json", ["s"], '"s"'],
    ["to_json", [3], "3"],
    ["parse_json", ['{"a":1}'], { a: 1 }],
    ["parse_json", ["[1,2]"], [1, 2]],
    ["parse_json", ["null"], null],
    ["parse_json", [null], null],
    ["parse_json", ["{"], err("call func parse_json error: fail to parse json:")],
    ["parse_json", [1], err("fail to convert float64(1) to string")],
  ]));

Deno.test("encode() and decode() do base64", (t) =>
  table(t, [
    ["encode", ["hello", "base64"], "aGVsbG8="],
    ["encode", [bytes("hi"), "base64"], "aGk="],
    ["encode", [1, "base64"], err("Only string type can be encoded.")],
    ["encode", ["a", "hex"], err("Only base64 encoding is supported.")],
    ["decode", ["aGVsbG8=", "base64"], bytes("hello")],
    ["decode", ["!!", "base64"], err("call func decode error: fail to decode base64 string")],
    ["decode", [null, "base64"], null],
  ]));

Deno.test("encode() round-trips UTF-8 and rejects other methods at compile time", () => {
  const encoded = run("encode", "héllo", "base64");
  expect(new TextDecoder().decode(run("decode", encoded, "base64") as Uint8Array)).toBe("héllo");
  expect(check("encode", field("a"), str("hex"))).toBe(
    "Only base64 is supported for the 2nd parameter.",
  );
  expect(check("decode", int(1), str("base64"))).toBe("Expect string type for parameter 1");
});

Deno.test("chr(), hex2dec(), dec2hex() and trunc()", (t) =>
  table(t, [
    ["chr", [65], "A"],
    ["chr", [0x1f600], "😀"],
    ["chr", [65.7], "A"],
    ["chr", ["a"], "a"],
    ["chr", ["abc"], err("Parameter length cannot larger than 1.")],
    ["chr", ["é"], err("Parameter length cannot larger than 1.")],
    ["chr", [true], err("Only bigint, float and string type can be convert to char type.")],
    ["chr", [-1], "\ufffd"],
    ["chr", [null], null],
    ["hex2dec", ["0x10"], 16],
    ["hex2dec", ["ff"], 255],
    ["hex2dec", ["-1F"], -31],
    ["hex2dec", ["0xzz"], err("invalid hexadecimal value: zz")],
    ["hex2dec", [16], err("invalid input type: 16 please input hex string")],
    ["dec2hex", [16], "0x10"],
    ["dec2hex", [-255], "0x-ff"],
    ["dec2hex", [1.5], err("cannot convert float64(1.5) to int")],
    ["trunc", [3.14159, 2], 3.14],
    ["trunc", [-3.14159, 3], -3.141],
    ["trunc", [3.9, 0], 3],
    ["trunc", [3.9, -5], 3],
    ["trunc", ["a", 1], err("expect number type")],
  ]));

Deno.test("compress() and decompress() round-trip every method", async (t) => {
  const text = "hello hello hello héllo";
  for (const method of ["zlib", "gzip", "flate", "zstd"]) {
    await t.step(method, () => {
      const packed = run("compress", text, method) as Uint8Array;
      expect(packed).toBeInstanceOf(Uint8Array);
      const unpacked = run("decompress", packed, method) as Uint8Array;
      expect(new TextDecoder().decode(unpacked)).toBe(text);
    });
  }
  expect(() => run("decompress", bytes("not compressed"), "gzip")).toThrow(
    "call func decompress error: failed to decompress",
  );
  expect(() => run("compress", "a", "lz4")).toThrow("unsupported compression method lz4");
  expect(check("compress", field("a"), str("lz4"))).toMatch(/unsupported compress method lz4/);
  expect(run("compress", null, "gzip")).toBe(null);
});

Deno.test("convert_tz() and to_seconds()", () => {
  const d = run("convert_tz", 1_700_000_000_000, "Asia/Shanghai") as Date;
  expect(d).toBeInstanceOf(Date);
  expect(d.getTime()).toBe(1_700_000_000_000);
  // Shown in its zone, as Go's time.Time in a location marshals; the date functions read it
  // there too.
  expect(JSON.stringify({ d })).toBe('{"d":"2023-11-15T06:13:20+08:00"}');
  expect(String(run("cast", d, "string"))).toBe("2023-11-15T06:13:20+08:00");
  expect(run("hour", d)).toBe(6);
  expect(run("format_time", d, "yyyy-MM-dd HH:mm")).toBe("2023-11-15 06:13");
  expect(run("day_name", run("convert_tz", 1_700_000_000_000, "America/Los_Angeles"))).toBe(
    "Tuesday",
  );
  expect(JSON.stringify(run("convert_tz", 1_700_000_000_500, "UTC"))).toBe(
    '"2023-11-14T22:13:20.5Z"',
  );
  expect(() => run("convert_tz", 0, "Mars/Base")).toThrow("unknown time zone Mars/Base");
  expect(run("to_seconds", 1_700_000_000_999)).toBe(1_700_000_000);
  expect(run("to_seconds", "2023-11-14T22:13:20Z")).toBe(1_700_000_000);
  expect(run("to_seconds", new Date(5000))).toBe(5);
  expect(() => run("to_seconds", "yesterday")).toThrow("cannot convert string(yesterday) to time");
  expect(returnType("to_seconds", ["any"])).toBe("bigint");
  expect(check("convert_tz", str("2023-01-01"), str("UTC"))).toBe(
    "Expect datetime type for parameter 1",
  );
  expect(check("convert_tz", field("t"), int(1))).toBe("Expect string type for parameter 2");
  expect(check("convert_tz", field("t"), str("UTC"))).toBe(undefined);
  expect(check("chr", num(1.5))).toBe("Expect int type for parameter 1");
});
