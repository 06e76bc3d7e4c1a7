/**
 * Points at the position of a syntax error in the SQL the CLI sent, the way a compiler does:
 *
 *     line 1, column 27: expected FROM but found 'FORM'
 *       SELECT temperature, humid FORM demo
 *                                 ^
 *
 * The server's message names line and column of the statement; the user typed part of it
 * (`create stream demo '(...)'` sends `CREATE STREAM demo (...)`), so showing the statement
 * with a caret beats counting columns by hand.
 *
 * @module
 */

const POSITION = /^line (\d+), column (\d+):/;

/** `message` followed by the offending line of `sql` and a caret under the column; `message`
 * unchanged when it names no position inside `sql`. */
export function withCaret(message: string, sql: string): string {
  const m = POSITION.exec(message);
  if (!m) return message;
  const line = sql.split("\n")[Number(m[1]) - 1];
  const column = Number(m[2]);
  if (line === undefined || column < 1 || column > line.length + 1) return message;
  // Tabs stay tabs below so that the caret lines up however the terminal renders them.
  const pad = line.slice(0, column - 1).replace(/[^\t]/g, " ");
  return `${message}\n  ${line}\n  ${pad}^`;
}
