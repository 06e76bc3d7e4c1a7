/**
 * Math functions (eKuiper `funcs_math.go`). All return nil on a nil argument; results that are
 * not a number (`sqrt(-1)`, `acos(2)`) are nil too rather than NaN, which JSON cannot carry.
 *
 * @module
 */
import type { ValueType } from "../expr/types.ts";
import { EvalError } from "../expr/types.ts";
import { toInt, toNumber, typed } from "../expr/values.ts";
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

export const mathFunctions: FunctionTable = {
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
    // Remainder with the sign of the dividend, like Go's math.Mod; by zero → nil (NaN).
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
