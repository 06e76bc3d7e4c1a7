/**
 * Syntax errors of the SQL grammar and the helpers that turn a failure offset plus the
 * grammar's "expected" labels into a readable message:
 *
 *     line 1, column 10: expected FROM but found 'FORM'
 *
 * Labels are the `.desc()` names of the grammar's tokens, with two conventions understood by
 * {@link describeFailure}:
 * - a label starting with `~` is *soft*: an optional continuation (an operator after a complete
 *   operand, `INVISIBLE` after a field, ...). Soft labels are only shown when nothing else was
 *   expected, so that "expected FROM" is not drowned in every operator that could follow.
 * - a label starting with `!` is a complete message (e.g. `!unterminated string literal`) that
 *   replaces the "expected ... but found ..." text.
 *
 * @module
 */

/** 1-based line and column of a character offset (lines end at `\n`; `\r\n` counts once). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** What the parser expected and found, or a complete reason, for {@link SqlSyntaxError}. */
export interface SyntaxErrorDetails {
  /** Human names of the alternatives that would have been valid here. */
  expected?: readonly string[];
  /** The offending token; computed from the text when omitted. */
  found?: string;
  /** A complete explanation that replaces "expected X but found Y". */
  reason?: string;
}

/** A syntax (or parse-time semantic) error with its position in the SQL text. */
export class SqlSyntaxError extends SyntaxError {
  override name = "SqlSyntaxError";
  /** 1-based line of the error. */
  readonly line: number;
  /** 1-based column of the error. */
  readonly column: number;
  /** 0-based character offset of the error. */
  readonly offset: number;
  /** Human names of what would have been valid at `offset` (as listed in the message). */
  readonly expected: string[];
  /** The offending token or word, or `end of input`. */
  readonly found: string;

  constructor(text: string, offset: number, details: SyntaxErrorDetails = {}) {
    const { line, column } = positionOf(text, offset);
    const found = details.found ?? tokenAt(text, offset);
    const expected = [...(details.expected ?? [])];
    super(`line ${line}, column ${column}: ${details.reason ?? expectation(expected, found)}`);
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.expected = expected;
    this.found = found;
  }
}

/**
 * Thrown from inside grammar actions for errors found while building a node (unknown WITH
 * option, bad window arguments, ...). The grammar's entry points catch it and rethrow it as a
 * {@link SqlSyntaxError}, once the statement text is known.
 */
export class ParseAbort extends Error {
  constructor(readonly offset: number, readonly reason: string, readonly expected: string[] = []) {
    super(reason);
  }
}

/** Throws a {@link ParseAbort} at `offset`; usable as an expression. */
export function abort(offset: number, reason: string, expected: string[] = []): never {
  throw new ParseAbort(offset, reason, expected);
}

/** Turns Parsimmon's furthest failure (offset + labels) into a {@link SqlSyntaxError}. */
export function describeFailure(text: string, offset: number, labels: string[]): SqlSyntaxError {
  if (text.startsWith("/*", offset) && !text.includes("*/", offset + 2)) {
    return new SqlSyntaxError(text, offset, { found: "/*", reason: "unterminated /* comment" });
  }
  const message = labels.find((l) => l.startsWith("!"));
  const expected = visibleLabels(labels.filter((l) => !l.startsWith("!")));
  if (message) return new SqlSyntaxError(text, offset, { expected, reason: message.slice(1) });
  const found = tokenAt(text, offset);
  return new SqlSyntaxError(text, offset, { expected: nearMiss(expected, found), found });
}

function expectation(expected: readonly string[], found: string): string {
  const shown = found === END_OF_INPUT ? found : quote(found);
  if (expected.length === 0) return `unexpected ${shown}`;
  const list = expected.length === 1 ? expected[0] : `one of ${expected.join(", ")}`;
  return `expected ${list} but found ${shown}`;
}

/** Removes soft labels when hard ones exist, de-duplicates and orders them for display. */
function visibleLabels(labels: string[]): string[] {
  const hard = labels.filter((l) => !l.startsWith("~"));
  const shown = hard.length > 0 ? hard : labels.map((l) => l.slice(1));
  return [...new Set(shown)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Keywords first, then punctuation, then descriptions; `end of input` last. */
function rank(label: string): number {
  if (label === END_OF_INPUT) return 3;
  if (/^[A-Z][A-Z_ ]*$/.test(label)) return 0;
  return label.startsWith("'") ? 1 : 2;
}

/** `SELECT a FORM t`: when the found word is a near-miss of exactly one expected keyword, name
 * only that keyword ("expected FROM but found 'FORM'"). */
function nearMiss(expected: string[], found: string): string[] {
  if (!/^[\p{L}_][\p{L}\p{N}_]+$/u.test(found)) return expected;
  const word = found.toUpperCase();
  const close = expected.filter((l) =>
    /^[A-Z_]+$/.test(l) && editDistance(word, l) <= (l.length <= 4 ? 1 : 2)
  );
  return close.length === 1 ? close : expected;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** What `found` says at the end of the text. */
export const END_OF_INPUT = "end of input";

const FOUND_TOKENS = [
  /\d*\.?\d+(?:[eE][+-]?\d+)?(?![\p{L}\p{N}_])/uy, // number
  /[\p{L}\p{N}_]+/uy, // word
  /<=|>=|<>|!=|->|\/\*|--/y, // two-character operators
];

/** The token starting at `offset`, for error messages: a word, number, operator, a (shortened)
 * quoted literal, a single character, or `end of input`. */
export function tokenAt(text: string, offset: number): string {
  if (offset >= text.length) return END_OF_INPUT;
  const quoted = quotedAt(text, offset);
  if (quoted !== undefined) return quoted;
  for (const re of FOUND_TOKENS) {
    re.lastIndex = offset;
    const m = re.exec(text);
    if (m) return m[0];
  }
  const ch = String.fromCodePoint(text.codePointAt(offset)!);
  return /[\p{C}\p{Z}]/u.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch;
}

function quotedAt(text: string, offset: number): string | undefined {
  const q = text[offset];
  if (q !== '"' && q !== "'" && q !== "`") return undefined;
  let i = offset + 1;
  while (i < text.length && text[i] !== q) i += text[i] === "\\" && q !== "`" ? 2 : 1;
  const literal = text.slice(offset, i + 1);
  return literal.length <= 24 ? literal : `${literal.slice(0, 20)}...`;
}

function quote(token: string): string {
  return token.includes("'") && !token.includes('"') ? `"${token}"` : `'${token}'`;
}
