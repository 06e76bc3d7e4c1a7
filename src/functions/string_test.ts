import { expect } from "expect";
import { field, int, neg, str } from "../expr/_test_ast.ts";
import { check, err, returnType, table } from "./_test_util.ts";

Deno.test("string functions compute eKuiper's results", (t) =>
  table(t, [
    ["concat", ["a", "b", "c"], "abc"],
    ["concat", ["a", null, "b"], "ab"],
    ["concat", [1, true, 2.5], "1true2.5"],
    ["concat", [[1], null, [2, 3]], [1, 2, 3]],
    ["endswith", ["abc", "bc"], true],
    ["endswith", ["abc", "b"], false],
    ["endswith", [null, "a"], false],
    ["startswith", ["abc", "ab"], true],
    ["startswith", ["abc", null], false],
    ["indexof", ["abc", "c"], 2],
    ["indexof", ["abc", "x"], -1],
    ["indexof", [null, "a"], -1],
    ["indexof", ["héllo", "l"], 3],
    ["length", ["héllo"], 5],
    ["length", ["😀"], 1],
    ["length", [[1, 2]], 2],
    ["length", [{ a: 1 }], 1],
    ["length", [123], 3],
    ["length", [null], 0],
    ["numbytes", ["héllo"], 6],
    ["numbytes", ["😀"], 4],
    ["numbytes", [null], 0],
    ["lower", ["AbC"], "abc"],
    ["upper", ["abc"], "ABC"],
    ["upper", [null], null],
    ["trim", ["  a b \n"], "a b"],
    ["ltrim", ["  a "], "a "],
    ["rtrim", ["  a "], "  a"],
    ["reverse", ["abc"], "cba"],
    ["reverse", ["a😀b"], "b😀a"],
    ["lpad", ["a", 3], "   a"],
    ["rpad", ["a", 2], "a  "],
    ["lpad", ["a", -1], err("call func lpad error: negative pad count -1")],
    ["lpad", ["a", 1.5], err("cannot convert float64(1.5) to int")],
    ["substring", ["hello", 1], "ello"],
    ["substring", ["hello", 1, 3], "el"],
    ["substring", ["hello", 10], ""],
    ["substring", ["hello", 2, 10], "llo"],
    ["substring", ["héllo", 1, 3], "é"],
    ["substring", ["hello", 3, 1], err("start index must be smaller than end index")],
    ["substring", ["hello", -1], err("start index must be a positive number")],
    ["substring", [null, 1], null],
    ["split_value", ["/test/device001/message", "/", 0], ""],
    ["split_value", ["/test/device001/message", "/", 2], "device001"],
    ["split_value", ["/test/device001/message", "/", 10], err("10 out of index array (size = 4)")],
    ["split_value", ["a😀b", "", 1], "😀"],
    ["regexp_matches", ["abc123", "\\d+"], true],
    ["regexp_matches", ["abc", "^b"], false],
    ["regexp_matches", ["ABC", "(?i)abc"], true],
    ["regexp_matches", [null, "a"], false],
    ["regexp_matches", ["a", "("], err("call func regexp_matches error: error parsing regexp")],
    ["regexp_replace", ["abc123def456", "[0-9]+", "X"], "abcXdefX"],
    ["regexp_replace", ["john smith", "(\\w+) (\\w+)", "$2 $1"], "smith john"],
    ["regexp_replace", ["john smith", "(\\w+) (\\w+)", "${1}x"], "johnx"],
    ["regexp_replace", ["john smith", "(?P<first>\\w+) \\w+", "${first}!"], "john!"],
    ["regexp_replace", ["a", "a", "$$"], "$"],
    ["regexp_replace", [null, "a", "b"], null],
  ]));

Deno.test("string functions validate literal arguments like eKuiper", () => {
  expect(check("upper", int(1))).toBe("Expect string type for parameter 1");
  expect(check("concat", str("a"), int(1))).toBe("Expect string type for parameter 2");
  expect(check("lpad", str("a"), str("b"))).toBe("Expect int type for parameter 2");
  expect(check("substring", str("a"), neg(int(1)))).toBe(
    "The start index should not be a nagtive integer.",
  );
  expect(check("substring", str("a"), int(3), int(1))).toBe(
    "The end index should be larger than start index.",
  );
  expect(check("substring", field("s"), field("a"))).toBe(undefined);
  expect(check("split_value", str("a"), str("/"), neg(int(1)))).toBe(
    "The index should not be a nagtive integer.",
  );
  expect(check("length", int(1))).toBe(undefined);
});

Deno.test("string function result types", () => {
  expect(returnType("concat", ["string", "string"])).toBe("string");
  expect(returnType("concat", ["array", "array"])).toBe("array");
  expect(returnType("concat", ["string", "any"])).toBe("any");
  expect(returnType("length", ["string"])).toBe("bigint");
  expect(returnType("regexp_matches", ["string", "string"])).toBe("boolean");
});

Deno.test("regexp_substr() and format()", (t) =>
  table(t, [
    ["regexp_substr", ["abc123def456", "[0-9]+"], "123"],
    ["regexp_substr", ["abc", "[0-9]+"], ""],
    ["regexp_substr", ["日本語123", "\\p{Han}+"], "日本語"],
    ["regexp_substr", [null, "a"], null],
    ["regexp_substr", ["a", "("], err("call func regexp_substr error:")],
    ["format", [12332.1234567, 4, "en_US"], "12,332.1235"],
    ["format", [12332.1234567, 4], "12,332.1235"],
    ["format", [12332.2, 0], "12,332"],
    ["format", [12332.1234567, 4, "de_DE"], "12.332,1235"],
    ["format", [null, 2], null],
    ["format", ["a", 2], err("the first parameter should be number")],
    ["format", [1, 2, "xx_!!"], err("unsupported locale")],
    ["format", [1, -1], err("the decimal places must greater or equal than 0")],
    ["split_value", ["a/b/c", "/", -1], "c"],
    ["split_value", ["a/b/c", "/", -3], "a"],
    ["split_value", ["a/b/c", "/", -4], err("-4 out of index array (size = 3)")],
  ]));

Deno.test("format() and regexp_substr() validate literals", () => {
  expect(check("format", str("a"), int(2))).toBe("Expect numeric type for parameter 1");
  expect(check("format", int(1), str("a"))).toBe("Expect integer type for parameter 2");
  expect(check("regexp_substr", str("a"), int(1))).toBe("Expect string type for parameter 2");
  expect(returnType("format", ["float", "bigint"])).toBe("string");
});
