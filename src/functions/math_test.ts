import { expect } from "expect";
import { field, int, num, str } from "../expr/_test_ast.ts";
import { check, err, returnType, run, table } from "./_test_util.ts";

Deno.test("math functions compute eKuiper's results", (t) =>
  table(t, [
    ["abs", [-10], 10],
    ["abs", [-10.5], 10.5],
    ["abs", [0], 0],
    ["abs", [null], null],
    ["abs", ["a"], err("call func abs error: only float64 & int type are supported")],
    ["ceil", [-10.5], -10],
    ["ceiling", [10.2], 11],
    ["floor", [-10.5], -11],
    ["round", [10.5], 11],
    ["round", [-10.5], -11],
    ["round", [2.4], 2],
    ["round", [42.4382, 2], 42.44],
    ["round", [1234.5678, -2], 1200],
    ["sqrt", [16], 4],
    ["sqrt", [-1], null],
    ["exp", [0], 1],
    ["ln", [Math.E], 1],
    ["ln", [0], null],
    ["ln", [-10], null],
    ["log", [100], 2],
    ["log", [0], null],
    ["log", [2, 8], 3],
    ["log", [1, 8], null],
    ["log", [2, -8], null],
    ["power", [2, 10], 1024],
    ["pow", [2, 0.5], Math.SQRT2],
    ["power", [-8, 1 / 3], null],
    ["mod", [7, 3], 1],
    ["mod", [-7, 3], -1],
    ["mod", [7.5, 2], 1.5],
    ["mod", [1, 0], null],
    ["pi", [], Math.PI],
    ["sign", [-3], -1],
    ["sign", [0], 0],
    ["sign", [2.5], 1],
    ["sign", ["x"], err("cannot convert string(x) to float64")],
    ["sqrt", [[]], null],
  ]));

Deno.test("rand() is in [0, 1) and never nil-checked", () => {
  for (let i = 0; i < 100; i++) {
    const r = run("rand") as number;
    expect(r >= 0 && r < 1).toBe(true);
  }
});

Deno.test("math functions keep ints where eKuiper does", () => {
  expect(returnType("abs", ["bigint"])).toBe("bigint");
  expect(returnType("abs", ["any"])).toBe("float");
  expect(returnType("mod", ["bigint", "bigint"])).toBe("bigint");
  expect(returnType("mod", ["bigint", "float"])).toBe("float");
  expect(returnType("sign", ["float"])).toBe("bigint");
  expect(returnType("ceil", ["bigint"])).toBe("float");
});

Deno.test("math functions reject non-number literals at compile time", () => {
  expect(check("abs", str("a"))).toBe("Expect number - float or int type for parameter 1");
  expect(check("power", int(2), str("a"))).toBe(
    "Expect number - float or int type for parameter 2",
  );
  expect(check("round", num(1.5), num(1.5))).toBe("Expect int type for parameter 2");
  expect(check("sqrt", field("a"))).toBe(undefined);
  expect(check("rand", int(1))).toBe("Expect 0 arguments but found 1.");
  expect(check("log", int(1), int(2), int(3))).toBe("Expect 1 to 2 arguments but found 3.");
});

Deno.test("trigonometric and angle functions", (t) =>
  table(t, [
    ["acos", [1], 0],
    ["acos", [2], null],
    ["asin", [1], Math.PI / 2],
    ["atan", [1], Math.PI / 4],
    ["atan2", [1, 1], Math.PI / 4],
    ["atan2", [null, 1], null],
    ["cos", [0], 1],
    ["cosh", [0], 1],
    ["sin", [0], 0],
    ["sinh", [0], 0],
    ["tan", [0], 0],
    ["tanh", [0], 0],
    ["cot", [1], 1 / Math.tan(1)],
    ["radians", [180], Math.PI],
    ["degrees", [Math.PI], 180],
    ["cos", ["a"], err("cannot convert string(a) to float64")],
    ["sin", [NaN], null],
  ]));

Deno.test("bit functions work on 64-bit integers", (t) =>
  table(t, [
    ["bitand", [12, 10], 8],
    ["bitor", [12, 10], 14],
    ["bitxor", [12, 10], 6],
    ["bitnot", [0], -1],
    ["bitnot", [-1], 0],
    ["bitnot", [0.5], err("Expect int type for operand but got 0.5")],
    // Beyond 32 bits, where JavaScript's own operators would truncate.
    ["bitor", [2 ** 40, 1], 2 ** 40 + 1],
    ["bitand", [1.5, 1], err("Expect int type for the first operand but got 1.5")],
    ["bitxor", [1, "a"], err("Expect int type for the second operand but got a")],
    ["bitand", [null, 1], null],
  ]));

Deno.test("conv() converts between bases like MySQL", (t) =>
  table(t, [
    ["conv", ["a", 16, 2], "1010"],
    ["conv", [255, 10, 16], "FF"],
    ["conv", ["6E", 18, 8], "172"],
    ["conv", [-17, 10, -18], "-H"],
    ["conv", [-17, 10, 18], "2D3FGB0B9CG4BD1H"],
    ["conv", ["zz", 36, 10], "1295"],
    ["conv", [10, 1, 10], err("base must be between 2 and 36")],
  ]));

Deno.test("new math functions validate literals and keep int results", () => {
  expect(check("bitand", num(1.5), int(1))).toBe("Expect int type for parameter 1");
  expect(check("atan2", str("a"), int(1))).toBe(
    "Expect number - float or int type for parameter 1",
  );
  expect(returnType("bitand", ["bigint", "bigint"])).toBe("bigint");
  expect(returnType("cos", ["bigint"])).toBe("float");
  expect(check("conv", int(1), int(10))).toBe("Expect 3 arguments but found 2.");
});
