/**
 * Math functions (eKuiper `funcs_math.go`). All return nil on a nil argument; results that are
 * not a number (`sqrt(-1)`, `acos(2)`) are nil too rather than NaN, which JSON cannot carry.
 *
 * @module
 */
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { goString, toInt, toNumber, typed } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

/** int stays int, everything else is a float (dynamic numbers are floats). */
const sameNumeric = ([t]: ValueType[]): ValueType => (t === "bigint" ? "bigint" : "float");
const bothInt = ([a, b]: ValueType[]): ValueType =>
  a === "bigint" && b === "bigint" ? "bigint" : "float";

const oneNumber = expect(["number"]);
const twoNumbers = expect(["number", "number"]);

function nanToNil(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** Go's `math.Round`: halves away from zero (JavaScript's `Math.round` rounds them up). */
function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function unary(name: string, f: (x: number) => number) {
  return scalar(name, {
    args: 1,
    validate: oneNumber,
    returnType: "float",
    exec: ([x]) => nanToNil(f(toNumber(x))),
  });
}

/** Integer operand of the bit functions: integral numbers only (JSON has no ints). */
function bitOperand(v: unknown, which: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  const what = which ? `${which} operand` : "operand";
  throw new EvalError(`Expect int type for ${what} but got ${goString(v)}`);
}

/** 64-bit two's complement bit operations on integers beyond 32 bits. */
function bitwise(name: string, op: (a: bigint, b: bigint) => bigint) {
  return scalar(name, {
    args: 2,
    validate: expect(["int", "int"]),
    returnType: "bigint",
    exec: ([a, b]) =>
      Number(
        BigInt.asIntN(
          64,
          op(BigInt(bitOperand(a, "the first")), BigInt(bitOperand(b, "the second"))),
        ),
      ),
  });
}

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** MySQL `CONV`: the number (or numeric string) `n` in base `from`, written in base `to`
 * (2..36); a negative `to` writes a signed result. */
function conv([n, from, to]: unknown[]): string | null {
  const fromBase = Math.abs(Math.trunc(toNumber(from)));
  const toBase = Math.trunc(toNumber(to));
  const outBase = Math.abs(toBase);
  if (fromBase < 2 || fromBase > 36 || outBase < 2 || outBase > 36) {
    throw new EvalError("base must be between 2 and 36");
  }
  let text = typeof n === "number" ? String(Math.trunc(n)) : String(n).trim().toUpperCase();
  const negative = text.startsWith("-");
  if (negative) text = text.slice(1);
  let value = 0n;
  for (const ch of text) {
    const d = DIGITS.indexOf(ch);
    if (d < 0 || d >= fromBase) break;
    value = value * BigInt(fromBase) + BigInt(d);
  }
  if (negative) value = toBase < 0 ? -value : BigInt.asUintN(64, -value);
  const out = (value < 0n ? -value : value).toString(outBase).toUpperCase();
  return value < 0n ? `-${out}` : out;
}

export const mathFunctions: FunctionTable = {
  acos: unary("acos", Math.acos),
  asin: unary("asin", Math.asin),
  atan: unary("atan", Math.atan),
  atan2: scalar("atan2", {
    args: 2,
    validate: twoNumbers,
    returnType: "float",
    exec: ([y, x]) => nanToNil(Math.atan2(toNumber(y), toNumber(x))),
  }),
  bitand: bitwise("bitand", (a, b) => a & b),
  bitor: bitwise("bitor", (a, b) => a | b),
  bitxor: bitwise("bitxor", (a, b) => a ^ b),
  bitnot: scalar("bitnot", {
    args: 1,
    validate: expect(["int"]),
    returnType: "bigint",
    exec: ([a]) => Number(BigInt.asIntN(64, ~BigInt(bitOperand(a, "")))),
  }),
  cos: unary("cos", Math.cos),
  cosh: unary("cosh", Math.cosh),
  cot: unary("cot", (x) => 1 / Math.tan(x)),
  sin: unary("sin", Math.sin),
  sinh: unary("sinh", Math.sinh),
  tan: unary("tan", Math.tan),
  tanh: unary("tanh", Math.tanh),
  radians: unary("radians", (x) => (x * Math.PI) / 180),
  degrees: unary("degrees", (x) => (x * 180) / Math.PI),
  conv: scalar("conv", {
    args: 3,
    validate: expect(["any", "int", "int"]),
    returnType: "string",
    exec: conv,
  }),
  abs: scalar("abs", {
    args: 1,
    validate: oneNumber,
    returnType: sameNumeric,
    exec: ([x]) => {
      if (typeof x !== "number") throw new EvalError("only float64 & int type are supported");
      return Math.abs(x);
    },
  }),
  ceil: unary("ceil", Math.ceil),
  ceiling: unary("ceiling", Math.ceil),
  floor: unary("floor", Math.floor),
  round: scalar("round", {
    args: [1, 2],
    validate: expect(["number", "int"]),
    returnType: "float",
    exec: ([x, s]) => {
      const v = toNumber(x);
      if (s === undefined) return goRound(v);
      const pow = 10 ** toInt(s);
      return goRound(v * pow) / pow;
    },
  }),
  sqrt: unary("sqrt", Math.sqrt),
  exp: unary("exp", Math.exp),
  ln: unary("ln", (x) => (x <= 0 ? NaN : Math.log(x))),
  log: scalar("log", {
    args: [1, 2],
    validate: twoNumbers,
    returnType: "float",
    exec: (args) => {
      if (args.length === 1) {
        const x = toNumber(args[0]);
        return x <= 0 ? null : Math.log10(x);
      }
      const b = toNumber(args[0]);
      const x = toNumber(args[1]);
      return b <= 1 || x <= 0 ? null : Math.log(x) / Math.log(b);
    },
  }),
  power: scalar("power", {
    args: 2,
    validate: twoNumbers,
    returnType: "float",
    exec: ([a, b]) => nanToNil(toNumber(a) ** toNumber(b)),
  }),
  pow: scalar("pow", {
    args: 2,
    validate: twoNumbers,
    returnType: "float",
    exec: ([a, b]) => nanToNil(toNumber(a) ** toNumber(b)),
  }),
  mod: scalar("mod", {
    args: 2,
    validate: twoNumbers,
    returnType: bothInt,
    // Remainder with the sign of the dividend, like Go's math.Mod; by zero -> nil (NaN).
    exec: ([a, b]) => nanToNil(toNumber(a) % toNumber(b)),
  }),
  pi: scalar("pi", { args: 0, returnType: "float", exec: () => Math.PI }),
  rand: scalar("rand", {
    args: 0,
    returnType: "float",
    nullPolicy: "custom",
    volatile: true,
    exec: () => Math.random(),
  }),
  sign: scalar("sign", {
    args: 1,
    validate: oneNumber,
    returnType: "bigint",
    exec: ([x]) => {
      const v = toNumber(x);
      if (Number.isNaN(v)) throw new EvalError(`cannot take the sign of ${typed(v)}`);
      return v > 0 ? 1 : v < 0 ? -1 : 0;
    },
  }),
};
