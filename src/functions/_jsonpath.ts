/**
 * The JSONPath dialect of eKuiper's `json_path_*` functions (Goessner's JSONPath as Go's
 * PaesslerAG/jsonpath reads it): `$`, `.key`, `['key']` / `["key.with.dot"]`, `[n]` (negative
 * from the end), `[a,b]`, `[start:end]`, `[*]` / `.*`, `..key` (recursive descent) and filters
 * `[?(@.age > 30)]` / `[? @.age > 30 && @.name == 'x']` with `== != < <= > >= =~`, `&&`, `||`,
 * `!`, parentheses, numbers, strings, `true`, `false`, `null`.
 *
 * A path made of keys and indexes only is *definite*: it yields one value. Any wildcard, slice,
 * union, filter or descent yields an array of the matches.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { isObject, valueEquals } from "../expr/values.ts";

type Filter = (node: unknown) => unknown;

export type Segment =
  | { t: "key"; key: string }
  | { t: "index"; index: number }
  | { t: "union"; items: (string | number)[] }
  | { t: "slice"; start?: number; end?: number; step?: number }
  | { t: "all" }
  | { t: "descend"; key: string | null }
  | { t: "filter"; pred: Filter };

export interface JsonPath {
  segments: Segment[];
  definite: boolean;
}

const fail = (path: string, why: string) => new EvalError(`invalid JSON path ${path}: ${why}`);

/** Finds the `]` closing the bracket opened at `open`, skipping quoted strings and nesting. */
function closing(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function unquote(s: string): string | undefined {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t[t.length - 1] === t[0]) {
    return t.slice(1, -1);
  }
  return undefined;
}

function bracket(inner: string, path: string): Segment {
  const body = inner.trim();
  if (body === "*") return { t: "all" };
  if (body.startsWith("?")) {
    let expr = body.slice(1).trim();
    if (expr.startsWith("(") && closing(expr, 0) === expr.length - 1) expr = expr.slice(1, -1);
    return { t: "filter", pred: compileFilter(expr, path) };
  }
  if (/^-?\d*:-?\d*(:-?\d*)?$/.test(body)) {
    const [a, b, c] = body.split(":").map((x) => (x.trim() === "" ? undefined : Number(x)));
    return { t: "slice", start: a, end: b, step: c };
  }
  const parts = splitTop(body, ",");
  const items = parts.map((p) => {
    const q = unquote(p);
    if (q !== undefined) return q;
    if (/^\s*-?\d+\s*$/.test(p)) return Number(p);
    throw fail(path, `bad subscript [${inner}]`);
  });
  if (items.length === 1) {
    return typeof items[0] === "number"
      ? { t: "index", index: items[0] }
      : { t: "key", key: items[0] };
  }
  return { t: "union", items };
}

/** Splits on `sep` outside quotes and brackets. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      if (end > 0) i = end;
    } else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const NAME = /^[^.[\]\s()=!<>&|,'"]+/;

/** Parses a path starting with `$` (or `@` inside filters). */
export function parsePath(path: string, root = "$"): JsonPath {
  const src = path.trim();
  if (!src.startsWith(root)) throw fail(path, `must start with ${root}`);
  const segments: Segment[] = [];
  let i = root.length;
  while (i < src.length) {
    const c = src[i];
    if (c === "[") {
      const end = closing(src, i);
      if (end < 0) throw fail(path, "unclosed [");
      segments.push(bracket(src.slice(i + 1, end), path));
      i = end + 1;
    } else if (c === ".") {
      if (src[i + 1] === ".") {
        i += 2;
        if (src[i] === "*") {
          segments.push({ t: "descend", key: null });
          i++;
        } else if (src[i] === "[") {
          segments.push({ t: "descend", key: null });
        } else {
          const m = NAME.exec(src.slice(i));
          if (!m) throw fail(path, "expected a name after ..");
          segments.push({ t: "descend", key: m[0] });
          i += m[0].length;
        }
      } else if (src[i + 1] === "*") {
        segments.push({ t: "all" });
        i += 2;
      } else {
        const m = NAME.exec(src.slice(i + 1));
        if (!m) throw fail(path, `expected a name at ${i + 1}`);
        segments.push({ t: "key", key: m[0] });
        i += 1 + m[0].length;
      }
    } else {
      throw fail(path, `unexpected ${c} at ${i}`);
    }
  }
  const definite = segments.every((s) => s.t === "key" || s.t === "index");
  return { segments, definite };
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isObject(node)) return Object.values(node);
  return [];
}

function descend(node: unknown, key: string | null, out: unknown[]): void {
  if (key === null) {
    for (const c of children(node)) {
      out.push(c);
      descend(c, key, out);
    }
    return;
  }
  if (isObject(node) && Object.hasOwn(node, key)) out.push(node[key]);
  for (const c of children(node)) descend(c, key, out);
}

function indexOf(arr: unknown[], i: number): number {
  return i < 0 ? arr.length + i : i;
}

function apply(seg: Segment, node: unknown, out: unknown[]): void {
  switch (seg.t) {
    case "key":
      if (isObject(node) && Object.hasOwn(node, seg.key)) out.push(node[seg.key]);
      return;
    case "index":
      if (Array.isArray(node)) {
        const i = indexOf(node, seg.index);
        if (i >= 0 && i < node.length) out.push(node[i]);
      }
      return;
    case "union":
      for (const item of seg.items) {
        apply(
          typeof item === "number" ? { t: "index", index: item } : { t: "key", key: item },
          node,
          out,
        );
      }
      return;
    case "slice": {
      if (!Array.isArray(node)) return;
      const n = node.length;
      const step = seg.step ?? 1;
      if (step <= 0) return;
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? n + v : v, 0), n);
      for (let i = clamp(seg.start ?? 0); i < clamp(seg.end ?? n); i += step) out.push(node[i]);
      return;
    }
    case "all":
      out.push(...children(node));
      return;
    case "descend":
      descend(node, seg.key, out);
      return;
    case "filter":
      for (const c of children(node)) if (seg.pred(c) === true) out.push(c);
      return;
  }
}

/** Evaluates a path; `found` is false when a definite path does not exist. */
export function evaluate(p: JsonPath, root: unknown): { found: boolean; value: unknown } {
  let nodes: unknown[] = [root];
  for (const seg of p.segments) {
    const next: unknown[] = [];
    for (const n of nodes) apply(seg, n, next);
    nodes = next;
  }
  if (p.definite) {
    return nodes.length ? { found: true, value: nodes[0] } : { found: false, value: null };
  }
  return { found: nodes.length > 0, value: nodes };
}

// ---------------------------------------------------------------------------------------------
// Filter expressions
// ---------------------------------------------------------------------------------------------

const TOKEN =
  /\s*(?:(@[^\s=!<>&|()]*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(==|!=|<=|>=|=~|&&|\|\||[<>!()])|(true|false|null)\b|(\/(?:[^/\\]|\\.)*\/[a-z]*))/y;

function tokenize(src: string, path: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s+$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw fail(path, `bad filter near ${src.slice(pos)}`);
    out.push(m[0].trim());
    pos = TOKEN.lastIndex;
  }
  return out;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==":
      return a == null ? b == null : valueEquals(a, b);
    case "!=":
      return !(a == null ? b == null : valueEquals(a, b));
  }
  if (
    typeof a === "number" && typeof b === "number" || typeof a === "string" && typeof b === "string"
  ) {
    switch (op) {
      case "<":
        return a < b;
      case "<=":
        return a <= b;
      case ">":
        return a > b;
      case ">=":
        return a >= b;
    }
  }
  return false;
}

/** Recursive-descent parser of a filter into a closure over the current node (`@`). */
function compileFilter(src: string, path: string): Filter {
  const toks = tokenize(src, path);
  let i = 0;
  const peek = () => toks[i];
  const primary = (): Filter => {
    const t = toks[i++];
    if (t === undefined) throw fail(path, "filter ends too early");
    if (t === "(") {
      const e = or();
      if (toks[i++] !== ")") throw fail(path, "missing ) in filter");
      return e;
    }
    if (t === "!") {
      const e = primary();
      return (n) => !truthy(e(n));
    }
    if (t.startsWith("@")) {
      const sub = parsePath(t, "@");
      return (n) => evaluate(sub, n).value;
    }
    if (t[0] === "'" || t[0] === '"') {
      const v = t.slice(1, -1).replace(/\\(.)/g, "$1");
      return () => v;
    }
    if (t[0] === "/") {
      const end = t.lastIndexOf("/");
      const re = new RegExp(t.slice(1, end), t.slice(end + 1));
      return () => re;
    }
    if (t === "true" || t === "false") return () => t === "true";
    if (t === "null") return () => null;
    if (/^-?\d/.test(t)) {
      const v = Number(t);
      return () => v;
    }
    throw fail(path, `unexpected ${t} in filter`);
  };
  const comparison = (): Filter => {
    const left = primary();
    const op = peek();
    if (op && ["==", "!=", "<", "<=", ">", ">=", "=~"].includes(op)) {
      i++;
      const right = primary();
      if (op === "=~") {
        return (n) => {
          const s = left(n), r = right(n);
          return typeof s === "string" && r instanceof RegExp && r.test(s);
        };
      }
      return (n) => compare(op, left(n), right(n));
    }
    return left;
  };
  const and = (): Filter => {
    let e = comparison();
    while (peek() === "&&") {
      i++;
      const l = e, r = comparison();
      e = (n) => truthy(l(n)) && truthy(r(n));
    }
    return e;
  };
  function or(): Filter {
    let e = and();
    while (peek() === "||") {
      i++;
      const l = e, r = and();
      e = (n) => truthy(l(n)) || truthy(r(n));
    }
    return e;
  }
  const f = or();
  if (i < toks.length) throw fail(path, `unexpected ${toks[i]} in filter`);
  return (n) => truthy(f(n));
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return v !== null && v !== undefined && v !== false;
}
