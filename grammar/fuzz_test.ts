/**
 * Fuzzing with fixed seeds: every input must either parse or throw a well-formed SqlSyntaxError
 * (never another exception, never hang), and whatever parses must survive print → parse.
 * Each campaign runs a fixed number of inputs or until its time budget is spent, whichever
 * comes first, so a slow machine shortens the run instead of timing out the suite.
 */

import { expect } from "expect";
import { parseStatement, SqlSyntaxError } from "./mod.ts";
import { printStatement } from "./print.ts";
import { VALID_STATEMENTS } from "./test_corpus.ts";
import { parseCorpus } from "./golden_corpus.ts";
import { prng, stripSpans } from "./test_util.ts";

/** Every statement of the golden corpus (valid and invalid) plus the round-trip corpus. */
const SEEDS: readonly string[] = [
  ...VALID_STATEMENTS,
  ...[...Deno.readDirSync(new URL("./testdata/", import.meta.url))]
    .filter((e) => e.name.endsWith(".sql"))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) =>
      parseCorpus(Deno.readTextFileSync(new URL(`./testdata/${e.name}`, import.meta.url)))
    )
    .map((c) => c.sql),
];

/** Runs `step(i)` for `count` iterations or until `budgetMs` has passed; returns how many ran. */
function campaign(count: number, budgetMs: number, step: (i: number) => void): number {
  const deadline = performance.now() + budgetMs;
  let i = 0;
  for (; i < count && performance.now() < deadline; i++) step(i);
  return i;
}

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
    const sql = SEEDS[Math.floor(rnd() * SEEDS.length)];
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

/** Applies 1 to 5 random edits: deletions, insertions of tokens or bytes, duplicated or swapped
 * slices (which build nesting and repetition), truncation, and splices of two statements. */
function mutate(rnd: () => number, sql: string): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const at = (s: string) => Math.floor(rnd() * (s.length + 1));
  let s = sql;
  const edits = 1 + Math.floor(rnd() * 5);
  for (let k = 0; k < edits; k++) {
    const i = at(s);
    const j = Math.min(s.length, i + Math.floor(rnd() * 12));
    switch (Math.floor(rnd() * 7)) {
      case 0:
        s = s.slice(0, i) + s.slice(j);
        break;
      case 1:
        s = s.slice(0, i) + " " + pick(TOKENS) + " " + s.slice(i);
        break;
      case 2:
        s = s.slice(0, i) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + s.slice(i);
        break;
      case 3:
        s = s.slice(0, j) + s.slice(i, j).repeat(1 + Math.floor(rnd() * 30)) + s.slice(j);
        break;
      case 4:
        s = s.slice(0, i);
        break;
      case 5: {
        const other = pick(SEEDS);
        s = s.slice(0, i) + other.slice(at(other));
        break;
      }
      default: {
        const k2 = at(s);
        const [a, b] = i < k2 ? [i, k2] : [k2, i];
        s = s.slice(0, a) + s.slice(b) + s.slice(a, b);
      }
    }
  }
  return s;
}

Deno.test("fuzz: multi-edit mutations and splices of the golden corpus (time-bounded)", () => {
  const rnd = prng(4);
  const outcome = { parsed: 0, rejected: 0 };
  const ran = campaign(
    5000,
    8000,
    () => check(mutate(rnd, SEEDS[Math.floor(rnd() * SEEDS.length)]), outcome),
  );
  expect(ran).toBeGreaterThan(500);
  expect(outcome.parsed).toBeGreaterThan(0);
  expect(outcome.rejected).toBeGreaterThan(ran / 2);
});

/** A random deeply nested expression: parentheses, calls, CASE, brackets, NOT, unary minus,
 * OVER and FILTER clauses, around a random core, up to `depth` levels. */
function deepExpr(rnd: () => number, depth: number): string {
  let e = rnd() < 0.5 ? "a" : "1";
  for (let d = 0; d < depth; d++) {
    switch (Math.floor(rnd() * 8)) {
      case 0:
        e = `(${e})`;
        break;
      case 1:
        e = `f(${e}, b)`;
        break;
      case 2:
        e = `CASE WHEN ${e} THEN 1 END`;
        break;
      case 3:
        e = `a[${e}]`;
        break;
      case 4:
        e = `NOT ${e}`;
        break;
      case 5:
        e = `- ${e}`;
        break;
      case 6:
        e = `lag(x) OVER (PARTITION BY ${e})`;
        break;
      default:
        e = `a IN (${e}, 2)`;
    }
  }
  return e;
}

Deno.test("fuzz: random deep nesting parses below the limit and fails cleanly above it", () => {
  const rnd = prng(5);
  const outcome = { parsed: 0, rejected: 0 };
  campaign(400, 8000, () => {
    const depth = Math.floor(rnd() * 400);
    const sql = `SELECT ${deepExpr(rnd, depth)} FROM t`;
    check(sql, outcome);
  });
  // (some rejections are plain syntax errors: `- NOT a` is not an expression)
  expect(outcome.parsed).toBeGreaterThan(20);
  expect(outcome.rejected).toBeGreaterThan(200);
});
