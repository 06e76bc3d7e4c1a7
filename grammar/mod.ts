/**
 * Weir's SQL parser: eKuiper-compatible rule SQL and stream DDL to the AST of
 * `src/sql/ast.ts`. Every function throws {@link SqlSyntaxError} (with 1-based line and column)
 * on invalid input, and nothing else.
 *
 * ```ts
 * const stmt = parseSelect("SELECT temperature FROM demo WHERE temperature > 20");
 * ```
 *
 * Deliberate differences from eKuiper's parser. Accepted in addition:
 * - `NOT x`, `-x` on any operand, `<>` (as `!=`), `x IS [NOT] NULL`; `1e3` exponents.
 * - A bare `JOIN` means `INNER JOIN`; `LEFT|RIGHT|FULL OUTER JOIN` are accepted.
 * - `*` may be combined with other select fields; ORDER BY takes any expression; `a.b.c` is
 *   `a.b->c`.
 * - Identifiers may start with `_`; reserved words are fine as keys after `->` and `.`.
 * - Strings: either quote can be escaped in either kind of string, raw newlines are allowed,
 *   and the LIKE escapes `\%` `\_` keep their backslash.
 *
 * Rejected although eKuiper lets them through: window lengths that are not positive integers
 * (a sliding window's delay may be 0), integer literals beyond ±2^53 (which would lose
 * precision), DEFAULT values that do not match the field type, and time units (`ss`, ...)
 * anywhere but as window-call arguments.
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
  try {
    result = parser.parse(text);
  } catch (e) {
    if (e instanceof ParseAbort) {
      throw new SqlSyntaxError(text, e.offset, { expected: e.expected, reason: e.reason });
    }
    if (e instanceof RangeError) {
      // Call-stack exhaustion on absurdly nested input.
      throw new SqlSyntaxError(text, 0, { reason: "statement is nested too deeply" });
    }
    throw e;
  }
  if (result.status) return result.value;
  throw describeFailure(text, result.index.offset, result.expected);
}
