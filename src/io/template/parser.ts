/**
 * Parses the pieces of a Go text/template into a tree: text, output actions, `if`/`range`/`with`
 * blocks with `else` / `else if` / `else with`, `break` and `continue`. Pipelines, variable
 * declarations and assignments follow Go's grammar; `define`/`template`/`block` are refused with
 * a clear error (eKuiper data templates are a single template).
 *
 * @module
 */
import { type Piece, splitTemplate, type Token } from "./lexer.ts";
import { TemplateError } from "./errors.ts";

export type Arg =
  | { kind: "field"; path: string[] }
  | { kind: "variable"; name: string; path: string[] }
  | { kind: "dot" }
  | { kind: "func"; name: string }
  | { kind: "literal"; value: unknown }
  | { kind: "pipe"; pipe: Pipe }
  | { kind: "chain"; arg: Arg; path: string[] };

export interface Command {
  args: Arg[];
}

export interface Pipe {
  /** Declared or assigned variables (`$x :=`, `$i, $e :=` in range). */
  vars: string[];
  /** True for `$x = ...` (assignment to an existing variable). */
  assign: boolean;
  cmds: Command[];
  line: number;
}

export type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: Pipe }
  | { kind: "if" | "with" | "range"; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { kind: "break" | "continue"; line: number };

const UNSUPPORTED = new Set(["define", "template", "block"]);

/** Parses a template source; throws TemplateError with the line of the first problem. */
export function parseTemplate(src: string): Node[] {
  const p = new Parser(splitTemplate(src));
  const { list, end } = p.list(0);
  if (end) throw new TemplateError(`line ${end.line}: unexpected {{${end.word}}}`);
  return list;
}

interface Terminator {
  word: "end" | "else";
  line: number;
  /** The tokens after `else` (for `else if ...` / `else with ...`). */
  rest: Token[];
}

class Parser {
  private i = 0;
  constructor(private readonly pieces: Piece[]) {}

  /** Parses nodes until `{{end}}`/`{{else}}` (returned) or the end of input. */
  list(rangeDepth: number): { list: Node[]; end?: Terminator } {
    const list: Node[] = [];
    while (this.i < this.pieces.length) {
      const piece = this.pieces[this.i++];
      if (piece.kind === "text") {
        list.push({ kind: "text", text: piece.text });
        continue;
      }
      const { tokens, line } = piece;
      if (tokens.length === 0) throw new TemplateError(`line ${line}: missing value for command`);
      const first = tokens[0];
      const word = first.kind === "ident" ? first.text : "";
      if (word === "end" || word === "else") {
        if (word === "end" && tokens.length > 1) {
          throw new TemplateError(`line ${line}: unexpected ${tokens[1].text} in end`);
        }
        return { list, end: { word, line, rest: tokens.slice(1) } };
      }
      if (word === "if" || word === "with" || word === "range") {
        list.push(this.block(word, tokens.slice(1), line, rangeDepth));
      } else if (word === "break" || word === "continue") {
        if (rangeDepth === 0) {
          throw new TemplateError(`line ${line}: {{${word}}} outside {{range}}`);
        }
        if (tokens.length > 1) {
          throw new TemplateError(`line ${line}: unexpected ${tokens[1].text} in ${word}`);
        }
        list.push({ kind: word, line });
      } else if (UNSUPPORTED.has(word)) {
        throw new TemplateError(`line ${line}: {{${word}}} is not supported in data templates`);
      } else {
        list.push({ kind: "action", pipe: parsePipe(tokens, line, true) });
      }
    }
    return { list };
  }

  private block(
    kind: "if" | "with" | "range",
    tokens: Token[],
    line: number,
    rangeDepth: number,
  ): Node {
    const pipe = parsePipe(tokens, line, true, kind === "range");
    const body = this.list(kind === "range" ? rangeDepth + 1 : rangeDepth);
    if (!body.end) {
      throw new TemplateError(`line ${line}: unexpected EOF, missing {{end}} of ${kind}`);
    }
    const node: Node = { kind, pipe, list: body.list };
    if (body.end.word === "end") return node;
    const rest = body.end.rest;
    if (rest.length > 0) {
      // `{{else if ...}}` / `{{else with ...}}` nest a block that shares our {{end}}.
      const w = rest[0].kind === "ident" ? rest[0].text : "";
      if (
        (w !== "if" && w !== "with") || kind === "range" || (w === "with" && kind !== "with") ||
        (w === "if" && kind !== "if")
      ) {
        throw new TemplateError(`line ${body.end.line}: unexpected ${rest[0].text} after else`);
      }
      node.elseList = [this.block(w, rest.slice(1), body.end.line, rangeDepth)];
      return node;
    }
    const alt = this.list(rangeDepth);
    if (!alt.end || alt.end.word !== "end") {
      throw new TemplateError(`line ${line}: expected {{end}} after {{else}} of ${kind}`);
    }
    node.elseList = alt.list;
    return node;
  }
}

/** Parses `[decl] cmd | cmd ...`. `range` allows two declared variables. */
function parsePipe(tokens: Token[], line: number, allowDecl: boolean, isRange = false): Pipe {
  let at = 0;
  const vars: string[] = [];
  let assign = false;
  if (allowDecl && tokens[0]?.kind === "variable" && tokens[0].parts!.length === 0) {
    // Look for `$x :=`, `$x =`, or (range) `$i, $e :=`.
    const t1 = tokens[1];
    if (t1?.kind === "declare" || t1?.kind === "assign") {
      vars.push(tokens[0].text);
      assign = t1.kind === "assign";
      at = 2;
    } else if (
      isRange && t1?.kind === "comma" && tokens[2]?.kind === "variable" &&
      tokens[3]?.kind === "declare"
    ) {
      vars.push(tokens[0].text, tokens[2].text);
      at = 4;
    }
  }
  const cmds: Command[] = [];
  const r = { at };
  for (;;) {
    const cmd = parseCommand(tokens, r, line);
    cmds.push(cmd);
    if (r.at >= tokens.length) break;
    if (tokens[r.at].kind === "pipe") {
      r.at++;
      continue;
    }
    throw new TemplateError(`line ${line}: unexpected "${tokens[r.at].text}" in command`);
  }
  if (vars.length > 0 && cmds.length === 0) throw new TemplateError(`line ${line}: missing value`);
  return { vars, assign, cmds, line };
}

function parseCommand(tokens: Token[], r: { at: number }, line: number): Command {
  const args: Arg[] = [];
  while (r.at < tokens.length) {
    const t = tokens[r.at];
    if (t.kind === "pipe" || t.kind === "rparen") break;
    args.push(parseOperand(tokens, r, line));
  }
  if (args.length === 0) throw new TemplateError(`line ${line}: missing value for command`);
  return { args };
}

function parseOperand(tokens: Token[], r: { at: number }, line: number): Arg {
  const t = tokens[r.at++];
  let arg: Arg;
  switch (t.kind) {
    case "field":
      arg = { kind: "field", path: t.parts! };
      break;
    case "variable":
      arg = { kind: "variable", name: t.text, path: t.parts! };
      break;
    case "dot":
      arg = { kind: "dot" };
      break;
    case "ident":
      arg = { kind: "func", name: t.text };
      break;
    case "string":
    case "char":
    case "number":
    case "bool":
      arg = { kind: "literal", value: t.value };
      break;
    case "nil":
      arg = { kind: "literal", value: null };
      break;
    case "lparen": {
      const inner: Token[] = [];
      let depth = 1;
      while (r.at < tokens.length) {
        const x = tokens[r.at++];
        if (x.kind === "lparen") depth++;
        else if (x.kind === "rparen" && --depth === 0) break;
        inner.push(x);
      }
      if (depth !== 0) throw new TemplateError(`line ${line}: unclosed left paren`);
      if (inner.length === 0) throw new TemplateError(`line ${line}: missing value in parenthesis`);
      arg = { kind: "pipe", pipe: parsePipe(inner, line, false) };
      break;
    }
    default:
      throw new TemplateError(`line ${line}: unexpected "${t.text}" in operand`);
  }
  // `(pipe).a.b` or `$x.a` glued field chains.
  while (r.at < tokens.length && tokens[r.at].kind === "field" && tokens[r.at].glued) {
    const path = tokens[r.at++].parts!;
    if (arg.kind === "field" || arg.kind === "variable") {
      arg = { ...arg, path: [...arg.path, ...path] };
    } else if (arg.kind === "dot") arg = { kind: "field", path };
    else arg = { kind: "chain", arg, path };
  }
  return arg;
}
