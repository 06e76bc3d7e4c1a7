/**
 * Weir's SQL parser: eKuiper-compatible rule SQL and stream DDL to the AST of
 * `src/sql/ast.ts`. Every function throws {@link SqlSyntaxError} (with 1-based line and column)
 * on invalid input, and nothing else.
 *
 * ```ts
 * const stmt = parseSelect("SELECT temperature FROM demo WHERE temperature > 20");
 * ```
 *
 * Everything eKuiper's parser accepts parses (checked against its SQL reference and parser
 * tests; the golden corpus in `testdata/` holds their examples), including its quirks: blanks
 * inside `! =`, `> =`, `< =`; `* EXCEPT(...)` / `* REPLACE(...)` as call arguments
 * (`count(* EXCEPT(a))`); MQTT-like stream names (`FROM topic/+/temp/#`); commas between
 * WITH options left out; a trailing comma after the last field; `OVER (PARTITION BY ... ORDER BY
 * ...)` for `row_number()`; a non-cross JOIN without ON.
 *
 * Deliberate differences from eKuiper's parser. Accepted in addition:
 * - `NOT x`, `-x` on any operand, `<>` (as `!=`), `x IS [NOT] NULL`; `1e3` exponents.
 * - A bare `JOIN` means `INNER JOIN`; `LEFT|RIGHT|FULL OUTER JOIN` are accepted.
 * - `*` may be combined with other select fields; ORDER BY takes any expression; `a.b.c` is
 *   `a.b->c`.
 * - Identifiers may start with `_`; reserved words are fine as keys after `->` and `.`.
 * - Strings: either quote can be escaped in either kind of string, raw newlines are allowed,
 *   and the LIKE escapes `\%` `\_` keep their backslash. Any Unicode blank separates tokens.
 * - `TRUE`/`FALSE` tokens (not only strings) for the boolean WITH options SHARED,
 *   STRICT_VALIDATION and TEMP.
 *
 * Rejected although eKuiper lets them through: window lengths that are not positive integers
 * (a sliding window's delay may be 0), integer literals beyond ±2^53 (which would lose
 * precision), DEFAULT values that do not match the field type, time units (`ss`, ...) anywhere
 * but as window-call arguments, `OVER ()` with nothing inside, TRUE/FALSE tokens for string
 * options, and statements nested deeper than 100 levels (parentheses, calls, CASE, types) or
 * with expression trees deeper than 1,000 levels (long operator chains): these are clean
 * syntax errors, not stack overflows (see `nesting.ts`).
 *
 * Accidents of eKuiper's scanner that are not reproduced: `- -` with blanks between is a `--`
 * comment there (here: minus a negative number), `- >` is `->`, a lone `!` reads as `=`, and
 * `/ *` opens a comment.
 *
 * Not accepted, as in eKuiper: the docs' `StrictValidation` spelling (the option keyword is
 * STRICT_VALIDATION), `CROSS OUTER JOIN` and `LEFT JOIN ON s2 ...` (examples in the docs that
 * its parser rejects too), a NULL literal (`null` is a field name), hexadecimal numbers,
 * `''` inside strings, subqueries, DISTINCT, UNION, `||` concatenation.
 *
 * @module
 */

import P from "parsimmon";
import type { Expr, SelectStatement, Statement, StreamStatement } from "../src/sql/ast.ts";
import { describeFailure, ParseAbort, positionOf, SqlSyntaxError } from "./errors.ts";
import { streamStatement } from "./ddl.ts";
import { expr } from "./expr.ts";
import { blank, endOfInput, opt, sym } from "./lexeme.ts";
import { selectStatement } from "./select.ts";
import { MAX_AST_DEPTH, mayBeTooDeep, resetNesting, tooDeepAt } from "./nesting.ts";

export { positionOf, SqlSyntaxError };

/** The whole text is one `p`, with optional blanks around it and an optional trailing `;`. */
function whole<T>(p: P.Parser<T>, semicolon: boolean): P.Parser<T> {
  return blank.then(p).skip(semicolon ? opt(sym(";")) : P.succeed(null)).skip(endOfInput);
}

const STATEMENT = whole<Statement>(P.alt<Statement>(selectStatement, streamStatement), true);
const SELECT = whole(selectStatement, true);
const STREAM_STATEMENT = whole(streamStatement, true);
const EXPR = whole(expr, false);

/** Parses one statement (SELECT or stream/table DDL), with an optional trailing `;`. */
export function parseStatement(text: string): Statement {
  return run(STATEMENT, text);
}

/** Parses one SELECT statement, with an optional trailing `;`. */
export function parseSelect(text: string): SelectStatement {
  return run(SELECT, text);
}

/** Parses one CREATE / SHOW / DESCRIBE / DROP / EXPLAIN statement, with an optional `;`. */
export function parseStreamStatement(text: string): StreamStatement {
  return run(STREAM_STATEMENT, text);
}

/** Parses a single expression (no trailing `;`). */
export function parseExpr(text: string): Expr {
  return run(EXPR, text);
}

function run<T>(parser: P.Parser<T>, text: string): T {
  let result: P.Result<T>;
  resetNesting();
  try {
    result = parser.parse(text);
  } catch (e) {
    if (e instanceof ParseAbort) {
      throw new SqlSyntaxError(text, e.offset, { expected: e.expected, reason: e.reason });
    }
    if (e instanceof RangeError) {
      // Last resort: the nesting limits should make call-stack exhaustion impossible.
      throw new SqlSyntaxError(text, 0, { reason: "statement is nested too deeply" });
    }
    throw e;
  }
  if (result.status) {
    const deep = mayBeTooDeep(text) ? tooDeepAt(result.value) : undefined;
    if (deep === undefined) return result.value;
    throw new SqlSyntaxError(text, deep, {
      reason: `expressions nested deeper than ${MAX_AST_DEPTH} levels (too many chained operators)`,
    });
  }
  throw describeFailure(text, result.index.offset, result.expected);
}
