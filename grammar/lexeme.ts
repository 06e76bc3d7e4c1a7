/**
 * Lexical layer of the grammar: whitespace and comments, keywords, punctuation, identifiers,
 * string and numeric literals, plus small combinator helpers shared by the rule files.
 *
 * Every token parser skips the whitespace (and comments) that *follows* it, so a rule starts at
 * a token boundary and failure offsets point at the offending token, not at the blank before it.
 * Tokens return their own {@link Span} (excluding the trailing blank), from which rules build
 * the spans of their nodes.
 *
 * @module
 */

import P from "parsimmon";
import type { IntegerLiteral, NumberLiteral, Span, StringLiteral } from "../src/sql/ast.ts";
import { END_OF_INPUT } from "./errors.ts";
import { isReserved } from "./keywords.ts";

/** A token's source text and span. */
export interface Tok {
  text: string;
  span: Span;
}

/** A name (identifier or backtick-quoted identifier) and its span. */
export interface Name {
  name: string;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Spans
// ---------------------------------------------------------------------------------------------

/** The span from the start of `first` to the end of `last`. */
export function cover(first: { span: Span } | Span, last: { span: Span } | Span): Span {
  const a = "span" in first ? first.span : first;
  const b = "span" in last ? last.span : last;
  return { start: a.start, end: b.end };
}

// ---------------------------------------------------------------------------------------------
// Whitespace and comments
// ---------------------------------------------------------------------------------------------

const BLANK = /(?:\s+|\/\*[\s\S]*?\*\/|--[^\n]*)+/y;

/** Offset of the first character at or after `i` that is not whitespace or a comment. An
 * unterminated `/*` is not skipped: the next token fails on it and the error says so. */
export function skipBlank(input: string, i: number): number {
  BLANK.lastIndex = i;
  return BLANK.exec(input) ? BLANK.lastIndex : i;
}

/** Skips leading whitespace and comments (token parsers skip trailing ones themselves). */
export const blank: P.Parser<null> = P((input, i) => P.makeSuccess(skipBlank(input, i), null));

/** Succeeds only at the end of the text. */
export const endOfInput: P.Parser<null> = P((input, i) =>
  i >= input.length ? P.makeSuccess(i, null) : P.makeFailure(i, END_OF_INPUT)
);

// ---------------------------------------------------------------------------------------------
// Token primitives
// ---------------------------------------------------------------------------------------------

/** A token matching `re` at the current offset (then trailing blanks); `label` names it in
 * error messages. */
export function token(re: RegExp, label: string): P.Parser<Tok> {
  const sticky = new RegExp(re.source, re.flags.replace(/[gy]/g, "") + "y");
  return P((input, i) => {
    sticky.lastIndex = i;
    const m = sticky.exec(input);
    if (!m || m[0].length === 0) return P.makeFailure(i, label);
    const end = i + m[0].length;
    return P.makeSuccess(skipBlank(input, end), { text: m[0], span: { start: i, end } });
  });
}

const WORD_END = "(?![A-Za-z0-9_])";

/** A case-insensitive keyword (a whole word). Soft keywords are optional continuations that are
 * only listed in error messages when nothing else was expected (see `errors.ts`). */
export function keyword(word: string, soft = false): P.Parser<Span> {
  return token(new RegExp(word + WORD_END, "i"), (soft ? "~" : "") + word).map((t) => t.span);
}

/** One of several keywords, returned upper-cased with its span. */
export function oneOfKeywords<K extends string>(
  words: readonly K[],
  soft = false,
): P.Parser<{ word: K; span: Span }> {
  return P.alt(...words.map((word) => keyword(word, soft).map((span) => ({ word, span }))));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A punctuation or operator symbol; `notBefore` lists characters that must not follow it
 * (so that `-` does not match the start of `->`). */
export function sym(
  s: string,
  options: { soft?: boolean; notBefore?: string } = {},
): P.Parser<Span> {
  const guard = options.notBefore ? `(?![${escapeRegExp(options.notBefore)}])` : "";
  const label = `${options.soft ? "~" : ""}'${s}'`;
  return token(new RegExp(escapeRegExp(s) + guard), label).map((t) => t.span);
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

/** A bare identifier that is not a reserved word. */
export const identifier: P.Parser<Name> = P((input, i) => {
  WORD_STICKY.lastIndex = i;
  const m = WORD_STICKY.exec(input);
  if (!m || isReserved(m[0])) return P.makeFailure(i, "identifier");
  const end = i + m[0].length;
  return P.makeSuccess(skipBlank(input, end), { name: m[0], span: { start: i, end } });
});
const WORD_STICKY = new RegExp(WORD.source, "y");

/** A backtick-quoted identifier: anything but a backtick, reserved words included. */
export const quotedIdentifier: P.Parser<Name> = P((input, i) => {
  if (input[i] !== "`") return P.makeFailure(i, "identifier");
  const close = input.indexOf("`", i + 1);
  if (close < 0) return P.makeFailure(i, "!unterminated quoted identifier");
  if (close === i + 1) return P.makeFailure(i, "!empty quoted identifier ``");
  const span = { start: i, end: close + 1 };
  return P.makeSuccess(skipBlank(input, close + 1), { name: input.slice(i + 1, close), span });
});

/** A name: a non-reserved identifier or a backtick-quoted one. */
export const name: P.Parser<Name> = P.alt(identifier, quotedIdentifier);

/** A key after `->` or `.`: like {@link name}, but reserved words are accepted too, since no
 * keyword can follow these operators. */
export const key: P.Parser<Name> = P.alt(
  token(WORD, "identifier").map((t) => ({ name: t.text, span: t.span })),
  quotedIdentifier,
);

// ---------------------------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------------------------

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
  // LIKE escapes (`\%`, `\_`) keep their backslash for the pattern matcher.
  "%": "\\%",
  _: "\\_",
};

const CODE_ESCAPES: Record<string, { digits: number; radix: number }> = {
  x: { digits: 2, radix: 16 },
  u: { digits: 4, radix: 16 },
  U: { digits: 8, radix: 16 },
};

/** Decodes the escape sequence at `input[i] === "\\"` (Go `strconv.Unquote` rules); returns
 * the decoded text and the offset after the sequence, or undefined if it is invalid. */
function unescapeAt(input: string, i: number): { text: string; end: number } | undefined {
  const c = input[i + 1];
  if (c in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[c], end: i + 2 };
  const code = CODE_ESCAPES[c];
  const octal = /^[0-7]{3}$/.test(input.slice(i + 1, i + 4));
  if (!code && !octal) return undefined;
  const { digits, radix } = code ?? { digits: 3, radix: 8 };
  const start = code ? i + 2 : i + 1;
  const text = input.slice(start, start + digits);
  const digitRe = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (text.length !== digits || !digitRe.test(text)) return undefined;
  const cp = parseInt(text, radix);
  const valid = cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && (code || cp <= 0xff);
  return valid ? { text: String.fromCodePoint(cp), end: start + digits } : undefined;
}

/** `"..."` or `'...'` with backslash escapes (Go `strconv.Unquote` rules; either quote may be
 * escaped in either kind of string; `\%` and `\_` are kept for LIKE patterns). */
export const stringLiteral: P.Parser<StringLiteral> = P((input, i) => {
  const quote = input[i];
  if (quote !== '"' && quote !== "'") return P.makeFailure(i, "string");
  let value = "";
  let j = i + 1;
  let chunk = j;
  while (j < input.length && input[j] !== quote) {
    if (input[j] !== "\\") {
      j++;
      continue;
    }
    if (j + 1 >= input.length) break;
    const esc = unescapeAt(input, j);
    if (!esc) {
      const bad = input.slice(j, j + 2);
      return P.makeFailure(j, `!invalid escape sequence '${bad}' in string literal`);
    }
    value += input.slice(chunk, j) + esc.text;
    j = chunk = esc.end;
  }
  if (j >= input.length) return P.makeFailure(i, "!unterminated string literal");
  value += input.slice(chunk, j);
  const span = { start: i, end: j + 1 };
  return P.makeSuccess(skipBlank(input, j + 1), { kind: "StringLiteral", value, span });
});

const NUMBER =
  /-?[ \t\r\n]*(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)(?![A-Za-z0-9_.])/;

/** An integer (`12`, `-3`) or float (`1.5`, `.5`, `-.5`, `1e3`) literal. The sign belongs to
 * the literal only where an operand is expected: `a -3` is still `a - 3`. */
export const numberLiteral: P.Parser<IntegerLiteral | NumberLiteral> = token(NUMBER, "number")
  .chain((t) => {
    const digits = t.text.replace(/\s+/g, "");
    const isFloat = /[.eE]/.test(digits);
    const value = Number(digits) + 0; // `+ 0` turns -0 into 0 for integers
    if (!isFloat && !Number.isSafeInteger(value)) {
      return failAt(t.span.start, `!integer literal ${digits} is out of range`);
    }
    if (!Number.isFinite(value)) return failAt(t.span.start, `!number ${digits} is out of range`);
    const kind = isFloat ? "NumberLiteral" : "IntegerLiteral";
    return P.succeed({ kind, value: isFloat ? Number(digits) : value, span: t.span });
  });

/** A failure reported at an earlier `offset` (e.g. the start of the offending token). */
function failAt<T>(offset: number, label: string): P.Parser<T> {
  return P<T>(() => P.makeFailure(offset, label));
}

// ---------------------------------------------------------------------------------------------
// Combinator helpers
// ---------------------------------------------------------------------------------------------

type ParseFn<T> = (input: string, i: number) => P.Reply<T>;

/**
 * Names a rule in error messages, like `.desc(name)`, but only when the rule fails on its very
 * first token: a failure further inside it (say a missing `)` in an argument list) keeps its own,
 * more precise labels, and so do complete `!` messages.
 */
export function label<T>(name: string, parser: P.Parser<T>): P.Parser<T> {
  // Parsimmon keeps each parser's parse function in the (untyped) field `_`.
  const inner = parser as unknown as { _: ParseFn<T> };
  return P((input, i) => {
    const reply = inner._(input, i);
    const keep = reply.status || reply.furthest !== i || reply.expected.some(isMessage);
    return keep ? reply : P.makeFailure(i, name);
  });
}

function isMessage(label: string): boolean {
  return label.startsWith("!");
}

/** `p` or nothing. */
export function opt<T>(p: P.Parser<T>): P.Parser<T | undefined> {
  return P.alt(p, P.succeed(undefined));
}

/** One or more `p` separated by commas. */
export function commaList<T>(p: P.Parser<T>): P.Parser<T[]> {
  return P.sepBy1(p, sym(","));
}

/** `( p )`: the value of `p` and the span from `(` to `)`. */
export function parens<T>(p: P.Parser<T>): P.Parser<{ value: T; span: Span }> {
  return P.seqMap(sym("("), p, sym(")"), (l, value, r) => ({ value, span: cover(l, r) }));
}

/** Drops properties whose value is `undefined`, so optional AST fields are absent, not
 * present-but-undefined (`"else" in node` stays meaningful and JSON stays tidy). */
export function prune<T extends object>(node: T): T {
  for (const k of Object.keys(node) as (keyof T)[]) {
    if (node[k] === undefined) delete node[k];
  }
  return node;
}
