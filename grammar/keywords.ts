/**
 * Reserved words of the SQL dialect (SPEC §4.2). A reserved word cannot be used as a bare
 * identifier (field, stream, alias, function name); it must be backtick-quoted instead.
 *
 * Weir's other keywords (`IS`, `NULL`, `OUTER`, `CREATE`, `STREAM`, `WITH`, type names, option
 * keys, ...) are contextual: they are recognised only where the grammar expects them and stay
 * usable as plain identifiers everywhere else.
 *
 * @module
 */

import type { TimeUnit } from "../src/sql/ast.ts";

/** Time units of window calls (`TUMBLINGWINDOW(ss, 10)`); reserved like keywords. */
export const TIME_UNITS: readonly TimeUnit[] = ["DD", "HH", "MI", "SS", "MS"];

/** eKuiper's reserved keywords, upper-case. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "SELECT",
  "FROM",
  "JOIN",
  "INNER",
  "LEFT",
  "RIGHT",
  "FULL",
  "CROSS",
  "ON",
  "WHERE",
  "GROUP",
  "ORDER",
  "HAVING",
  "BY",
  "ASC",
  "DESC",
  "AND",
  "OR",
  "CASE",
  "WHEN",
  "THEN",
  "ELSE",
  "END",
  "IN",
  "NOT",
  "BETWEEN",
  "LIKE",
  "OVER",
  "PARTITION",
  "FILTER",
  "LIMIT",
  "REPLACE",
  "EXCEPT",
  "INVISIBLE",
  "DEFAULT",
  "TRUE",
  "FALSE",
  "AS",
  ...TIME_UNITS,
]);

/** True if `word` (any case) is reserved and therefore needs backticks as a name. */
export function isReserved(word: string): boolean {
  return RESERVED_WORDS.has(word.toUpperCase());
}
