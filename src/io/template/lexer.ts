/**
 * Splits a Go text/template source into text and action pieces, and an action into tokens.
 * Handles `{{- ` / ` -}}` whitespace trimming and `{{/* comments *\/}}` here, so the parser only
 * sees clean text and token lists.
 *
 * @module
 */
import { TemplateError } from "./errors.ts";

export type TokenKind =
  | "field" // .a.b (path in `parts`)
  | "variable" // $x or $x.a.b (name in `text`, path in `parts`)
  | "dot"
  | "ident" // function name or keyword
  | "string"
  | "number"
  | "char"
  | "bool"
  | "nil"
  | "lparen"
  | "rparen"
  | "pipe"
  | "declare" // :=
  | "assign" // =
  | "comma";

export interface Token {
  kind: TokenKind;
  text: string;
  /** Field path for field/variable tokens, string value for string/char tokens. */
  parts?: string[];
  value?: string | number | bigint | boolean;
  /** True when the token directly follows the previous one (no space): `(x).a` chains. */
  glued: boolean;
}

export type Piece =
  | { kind: "text"; text: string }
  | { kind: "action"; tokens: Token[]; line: number };

const SPACE = /[ \t\r\n]/;

/** Splits `src` into text and action pieces. Throws TemplateError on unclosed actions. */
export function splitTemplate(src: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos <= src.length) {
    const open = src.indexOf("{{", pos);
    let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, "");
    trimNextText = false;
    if (open < 0) {
      if (text) pieces.push({ kind: "text", text });
      break;
    }
    let start = open + 2;
    if (src[start] === "-" && SPACE.test(src[start + 1] ?? "")) {
      text = text.replace(/[ \t\r\n]+$/, "");
      start += 2;
    }
    if (text) pieces.push({ kind: "text", text });
    const line = lineOf(src, open);
    const { tokens, end, trimRight, comment } = scanAction(src, start, line);
    if (!comment) pieces.push({ kind: "action", tokens, line });
    trimNextText = trimRight;
    pos = end;
  }
  return pieces;
}

function lineOf(src: string, at: number): number {
  let n = 1;
  for (let i = 0; i < at; i++) if (src.charCodeAt(i) === 10) n++;
  return n;
}

interface ScannedAction {
  tokens: Token[];
  /** Position just after the closing `}}`. */
  end: number;
  trimRight: boolean;
  comment: boolean;
}

function closeAt(src: string, i: number): { trim: boolean; end: number } | undefined {
  if (src.startsWith("}}", i)) return { trim: false, end: i + 2 };
  if (src[i] === "-" && src.startsWith("}}", i + 1) && SPACE.test(src[i - 1] ?? "")) {
    return { trim: true, end: i + 3 };
  }
  return undefined;
}

function scanAction(src: string, start: number, line: number): ScannedAction {
  let i = start;
  while (i < src.length && SPACE.test(src[i])) i++;
  if (src.startsWith("/*", i)) {
    const endComment = src.indexOf("*/", i + 2);
    if (endComment < 0) throw new TemplateError(`line ${line}: unclosed comment`);
    let j = endComment + 2;
    while (j < src.length && SPACE.test(src[j])) j++;
    const c = closeAt(src, j);
    if (!c) throw new TemplateError(`line ${line}: comment ends before closing delimiter`);
    return { tokens: [], end: c.end, trimRight: c.trim, comment: true };
  }
  const tokens: Token[] = [];
  let glued = false;
  for (;;) {
    if (i >= src.length) throw new TemplateError(`line ${line}: unclosed action`);
    const ch = src[i];
    if (SPACE.test(ch)) {
      i++;
      glued = false;
      continue;
    }
    const c = closeAt(src, i);
    if (c) return { tokens, end: c.end, trimRight: c.trim, comment: false };
    const push = (t: Omit<Token, "glued">, len: number) => {
      tokens.push({ ...t, glued });
      i += len;
      glued = true;
    };
    if (ch === "(") push({ kind: "lparen", text: ch }, 1);
    else if (ch === ")") push({ kind: "rparen", text: ch }, 1);
    else if (ch === "|") push({ kind: "pipe", text: ch }, 1);
    else if (ch === ",") push({ kind: "comma", text: ch }, 1);
    else if (ch === ":" && src[i + 1] === "=") push({ kind: "declare", text: ":=" }, 2);
    else if (ch === "=") push({ kind: "assign", text: "=" }, 1);
    else if (ch === '"') {
      const { value, len } = scanQuoted(src, i, line);
      push({ kind: "string", text: src.slice(i, i + len), value }, len);
    } else if (ch === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) throw new TemplateError(`line ${line}: unterminated raw string`);
      push(
        { kind: "string", text: src.slice(i, end + 1), value: src.slice(i + 1, end) },
        end + 1 - i,
      );
    } else if (ch === "'") {
      const { value, len } = scanChar(src, i, line);
      push({ kind: "char", text: src.slice(i, i + len), value }, len);
    } else if (ch === "." || ch === "$") {
      const m = /^([.$][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(src.slice(i, i + 512))!;
      const head = m[1];
      const path = m[2] ? m[2].slice(1).split(".") : [];
      if (ch === "$") {
        push({ kind: "variable", text: head, parts: path }, m[0].length);
      } else if (head === ".") {
        if (/[0-9]/.test(src[i + 1] ?? "")) {
          const n = scanNumber(src, i, line);
          push({ kind: "number", text: n.text, value: n.value }, n.text.length);
        } else if (path.length === 0) push({ kind: "dot", text: "." }, 1);
        else push({ kind: "field", text: m[0], parts: path }, m[0].length);
      } else {
        push({ kind: "field", text: m[0], parts: [head.slice(1), ...path] }, m[0].length);
      }
    } else if (/[0-9+-]/.test(ch)) {
      const n = scanNumber(src, i, line);
      push({ kind: "number", text: n.text, value: n.value }, n.text.length);
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 256))!;
      const w = m[0];
      if (w === "true" || w === "false") {
        push({ kind: "bool", text: w, value: w === "true" }, w.length);
      } else if (w === "nil") push({ kind: "nil", text: w }, w.length);
      else push({ kind: "ident", text: w }, w.length);
    } else {
      throw new TemplateError(`line ${line}: unexpected "${ch}" in action`);
    }
  }
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

function scanEscape(src: string, i: number, line: number): { value: string; len: number } {
  const e = src[i + 1];
  if (e === "x" || e === "u" || e === "U") {
    const digits = e === "x" ? 2 : e === "u" ? 4 : 8;
    const hex = src.slice(i + 2, i + 2 + digits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) {
      throw new TemplateError(`line ${line}: invalid escape \\${e}${hex}`);
    }
    return { value: String.fromCodePoint(parseInt(hex, 16)), len: 2 + digits };
  }
  if (e in ESCAPES) return { value: ESCAPES[e], len: 2 };
  throw new TemplateError(`line ${line}: invalid escape \\${e ?? ""}`);
}

function scanQuoted(src: string, start: number, line: number): { value: string; len: number } {
  let out = "";
  let i = start + 1;
  for (;;) {
    const ch = src[i];
    if (ch === undefined || ch === "\n") {
      throw new TemplateError(`line ${line}: unterminated quoted string`);
    }
    if (ch === '"') return { value: out, len: i + 1 - start };
    if (ch === "\\") {
      const e = scanEscape(src, i, line);
      out += e.value;
      i += e.len;
    } else {
      out += ch;
      i++;
    }
  }
}

function scanChar(src: string, start: number, line: number): { value: string; len: number } {
  let i = start + 1;
  let value: string;
  if (src[i] === "\\") {
    const e = scanEscape(src, i, line);
    value = e.value;
    i += e.len;
  } else {
    const cp = src.codePointAt(i);
    if (cp === undefined) throw new TemplateError(`line ${line}: unterminated character constant`);
    value = String.fromCodePoint(cp);
    i += value.length;
  }
  if (src[i] !== "'") throw new TemplateError(`line ${line}: unterminated character constant`);
  return { value, len: i + 1 - start };
}

/** Go number literals: decimal, hex, octal, binary integers (-> bigint) and floats (-> number). */
function scanNumber(
  src: string,
  start: number,
  line: number,
): { text: string; value: number | bigint } {
  const m =
    /^[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)/
      .exec(src.slice(start, start + 128));
  const text = m ? m[0] : "";
  const body = text.replace(/^[+-]/, "").replaceAll("_", "");
  if (body === "" || body === ".") {
    throw new TemplateError(`line ${line}: bad number syntax "${text}"`);
  }
  const neg = text.startsWith("-");
  if (/^0[xXbBoO]/.test(body)) {
    const v = BigInt(body.replace(/^0[oO]/, "0o"));
    return { text, value: neg ? -v : v };
  }
  if (/^[0-9]+$/.test(body)) {
    // Go reads a leading-zero integer as octal.
    const v = body.length > 1 && body[0] === "0" ? BigInt("0o" + body.slice(1)) : BigInt(body);
    return { text, value: neg ? -v : v };
  }
  const f = Number(body);
  if (Number.isNaN(f)) throw new TemplateError(`line ${line}: bad number syntax "${text}"`);
  return { text, value: neg ? -f : f };
}
