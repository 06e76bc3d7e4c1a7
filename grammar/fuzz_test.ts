/**
 * Fuzzing with fixed seeds: every input must either parse or throw a well-formed SqlSyntaxError
 * (never another exception, never hang), and whatever parses must survive print → parse.
 */

import { expect } from "expect";
import { parseStatement, SqlSyntaxError } from "./mod.ts";
import { printStatement } from "./print.ts";
import { VALID_STATEMENTS } from "./test_corpus.ts";
import { prng, stripSpans } from "./test_util.ts";

/** Generous per-input budget: anything near it means pathological backtracking. */
const MAX_MS_PER_INPUT = 250;

interface Outcome {
  parsed: number;
  rejected: number;
}

function check(text: string, outcome: Outcome): void {
  const started = performance.now();
  try {
    const ast = parseStatement(text);
    outcome.parsed++;
    const printed = printStatement(ast);
    if (JSON.stringify(stripSpans(parseStatement(printed))) !== JSON.stringify(stripSpans(ast))) {
      throw new Error(`round trip changed ${JSON.stringify(text)} (printed ${printed})`);
    }
  } catch (e) {
    if (!(e instanceof SqlSyntaxError)) {
      throw new Error(`${JSON.stringify(text)} threw ${e}`);
    }
    outcome.rejected++;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(text.length);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message).toMatch(/^line \d+, column \d+: \S/);
  }
  const elapsed = performance.now() - started;
  if (elapsed > MAX_MS_PER_INPUT) {
    throw new Error(`${JSON.stringify(text)} took ${elapsed.toFixed(0)} ms`);
  }
}

Deno.test("fuzz: 2,000 random byte strings", () => {
  const rnd = prng(1);
  const outcome = { parsed: 0, rejected: 0 };
  for (let i = 0; i < 2000; i++) {
    const length = Math.floor(rnd() * 60);
    const text = String.fromCharCode(...Array.from({ length }, () => Math.floor(rnd() * 256)));
    check(text, outcome);
  }
  expect(outcome.rejected).toBeGreaterThan(1900);
});

const TOKENS = [
  "SELECT",
  "FROM",
  "WHERE",
  "GROUP BY",
  "HAVING",
  "ORDER BY",
  "LIMIT",
  "AS",
  "AND",
  "OR",
  "NOT",
  "IN",
  "BETWEEN",
  "LIKE",
  "IS",
  "NULL",
  "CASE",
  "WHEN",
  "THEN",
  "ELSE",
  "END",
  "JOIN",
  "LEFT",
  "CROSS",
  "ON",
  "FILTER",
  "OVER",
  "PARTITION BY",
  "EXCEPT",
  "REPLACE",
  "INVISIBLE",
  "TRUE",
  "CREATE STREAM",
  "WITH",
  "DEFAULT",
  "ARRAY",
  "STRUCT",
  "BIGINT",
  "SHOW",
  "STREAMS",
  "DROP",
  "TUMBLINGWINDOW",
  "COUNTWINDOW",
  "ss",
  "a",
  "b",
  "t",
  "s.*",
  "`q`",
  "f",
  "1",
  "-2",
  ".5",
  "'x'",
  '"y\\n"',
  "(",
  ")",
  "[",
  "]",
  ":",
  ",",
  ";",
  "*",
  "+",
  "-",
  "/",
  "%",
  "&",
  "|",
  "^",
  "=",
  "!=",
  "<>",
  "<",
  "<=",
  ">",
  ">=",
  "->",
  ".",
  "/*",
  "*/",
  "--",
  "\n",
  "#",
  "+",
];

Deno.test("fuzz: 2,000 random token sequences", () => {
  const rnd = prng(2);
  const outcome = { parsed: 0, rejected: 0 };
  for (let i = 0; i < 2000; i++) {
    const length = 1 + Math.floor(rnd() * 20);
    const head = rnd() < 0.7 ? ["SELECT"] : [];
    const words = Array.from({ length }, () => TOKENS[Math.floor(rnd() * TOKENS.length)]);
    check([...head, ...words].join(rnd() < 0.8 ? " " : ""), outcome);
  }
  expect(outcome.rejected).toBeGreaterThan(0);
});

Deno.test("fuzz: 2,000 single-character mutations of valid statements", () => {
  const rnd = prng(3);
  const alphabet = " \n()[],;.*+-/%&|^=<>!'\"`:#aZ09_\\\u0000é";
  const outcome = { parsed: 0, rejected: 0 };
  for (let i = 0; i < 2000; i++) {
    const sql = VALID_STATEMENTS[Math.floor(rnd() * VALID_STATEMENTS.length)];
    const at = Math.floor(rnd() * (sql.length + 1));
    const ch = rnd() < 0.8
      ? alphabet[Math.floor(rnd() * alphabet.length)]
      : String.fromCharCode(Math.floor(rnd() * 256));
    const mutated = [
      sql.slice(0, at) + sql.slice(at + 1), // delete
      sql.slice(0, at) + ch + sql.slice(at), // insert
      sql.slice(0, at) + ch + sql.slice(at + 1), // replace
    ][Math.floor(rnd() * 3)];
    check(mutated, outcome);
  }
  // both outcomes occur: mutations are neither all harmless nor all fatal
  expect(outcome.parsed).toBeGreaterThan(100);
  expect(outcome.rejected).toBeGreaterThan(100);
});
