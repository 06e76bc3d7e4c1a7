import { expect } from "expect";
import { collectAggregates, compileAggregateCall, isAggregateCall } from "./aggregate.ts";
import { CompileError } from "./types.ts";
import {
  and,
  bin,
  call,
  caseOf,
  CTX,
  field,
  int,
  star,
  str,
  testScope,
  tuple,
} from "./_test_ast.ts";

const a = field("a");

Deno.test("isAggregateCall() knows aggregates by name", () => {
  expect(isAggregateCall(call("avg", a))).toBe(true);
  expect(isAggregateCall(call("AVG", a))).toBe(true);
  expect(isAggregateCall(call("abs", a))).toBe(false);
  expect(isAggregateCall(call("nope", a))).toBe(false);
});

Deno.test("collectAggregates() finds the outermost aggregate calls in order", () => {
  const sum = call("sum", a);
  const count = call("count", star());
  const nested = call("max", call("abs", call("min", a)));
  const expr = and(
    bin(">", bin("+", sum, call("abs", count)), int(1)),
    caseOf(undefined, [[bin("=", nested, int(0)), str("x")]]),
  );
  expect(collectAggregates(expr)).toEqual([sum, count, nested]);
  expect(collectAggregates(bin("+", a, call("abs", a)))).toEqual([]);
});

Deno.test("compileAggregateCall() evaluates per-row arguments and the group result", () => {
  const rows = [{ a: 1 }, { a: null }, { a: 4 }].map((m) => tuple(m));
  const avg = compileAggregateCall(call("avg", a), testScope());
  expect(avg.type).toBe("float");
  const column = rows.map((r) => avg.args[0].eval(r, CTX));
  expect(avg.exec([column], CTX)).toBe(2.5);

  const count = compileAggregateCall(call("count", star()), testScope());
  expect(count.exec([rows.map((r) => count.args[0].eval(r, CTX))], CTX)).toBe(3);
  expect(count.type).toBe("bigint");

  const sum = compileAggregateCall(call("sum", field("i")), testScope({ i: "bigint" }));
  expect(sum.type).toBe("bigint");
  expect(sum.exec([[]], CTX)).toBe(null);
});

Deno.test("compileAggregateCall() compiles FILTER and rejects nested aggregates", () => {
  const filtered = compileAggregateCall(
    { ...call("count", star()), filter: bin(">", a, int(1)) },
    testScope(),
  );
  expect(filtered.filter?.eval(tuple({ a: 2 }), CTX)).toBe(true);
  expect(() => compileAggregateCall(call("sum", call("avg", a)), testScope())).toThrow(
    "aggregate function avg is not allowed here",
  );
  expect(() => compileAggregateCall(call("abs", a), testScope())).toThrow(CompileError);
  expect(() => compileAggregateCall(call("count", a, a), testScope())).toThrow(
    "validate function count error: Expect 1 arguments but found 2.",
  );
});

Deno.test("compileAggregateCall() wraps runtime errors like a call", () => {
  const sum = compileAggregateCall(call("sum", a), testScope());
  expect(() => sum.exec([[1, "x"]], CTX)).toThrow(
    "call func sum error: requires float64 but found string(x)",
  );
});
