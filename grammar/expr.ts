/**
 * Expressions, with eKuiper's operator precedence (SPEC §4.3) plus Weir's extensions (unary
 * `NOT`, unary minus on any operand, `<>`, `IS [NOT] NULL`).
 *
 * Precedence ladder, loosest binding first; each level's operands are the level below it:
 *
 * | level          | operators                                                        | assoc  |
 * |----------------|------------------------------------------------------------------|--------|
 * | or             | `OR`                                                             | left   |
 * | and            | `AND`                                                            | left   |
 * | not            | `NOT x` (prefix)                                                 | right  |
 * | comparison     | `= != <> < <= > >=`, `[NOT] IN`, `[NOT] BETWEEN`, `[NOT] LIKE`,  | left   |
 * |                | `IS [NOT] NULL`                                                  |        |
 * | additive       | `+ - \| ^`                                                       | left   |
 * | multiplicative | `* / % &`                                                        | left   |
 * | unary          | `-x` (prefix; `-3` is a literal, not a negation)                 | right  |
 * | postfix        | `x->key`, `x[i]`, `x[a:b]`, `x[:b]`, `x[a:]`, `x[]`, `x.key`     | left   |
 * | primary        | literals, `CASE`, calls, field refs, `( expr )`                  |        |
 *
 * @module
 */

import P from "parsimmon";
import type {
  BinaryOp,
  BooleanLiteral,
  CallExpr,
  CaseExpr,
  Expr,
  FieldRef,
  OverClause,
  Span,
  TimeUnitLiteral,
  Wildcard,
} from "../src/sql/ast.ts";
import {
  commaList,
  cover,
  identifier,
  key,
  keyword,
  label,
  type Name,
  name,
  numberLiteral,
  oneOfKeywords,
  opt,
  parens,
  prune,
  quotedIdentifier,
  stringLiteral,
  sym,
} from "./lexeme.ts";
import { TIME_UNITS } from "./keywords.ts";
import { isWindowName } from "./window.ts";

/** Turns a left operand into a bigger expression (a postfix operator, `+ b`, `IN (...)`...). */
type Tail = (left: Expr) => Expr;

/** A complete expression. */
export const expr: P.Parser<Expr> = P.lazy(() => orLevel);

// ---------------------------------------------------------------------------------------------
// Node builders
// ---------------------------------------------------------------------------------------------

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: "Binary", op, left, right, span: cover(left, right) };
}

function fieldRef(n: Name): FieldRef {
  return { kind: "FieldRef", name: n.name, span: n.span };
}

/** `a.b` is a qualified field when `a` is a bare field name, JSON access otherwise. */
function dotAccess(object: Expr, k: Name): Expr {
  const span = cover(object, k);
  if (object.kind === "FieldRef" && object.stream === undefined) {
    return { kind: "FieldRef", stream: object.name, name: k.name, span };
  }
  return { kind: "Access", object, key: k.name, span };
}

/** Builds a prefix operator node from the operator token and its operand. */
function prefix(op: "-" | "NOT"): (token: Span, operand: Expr) => Expr {
  return (token, operand) => ({ kind: "Unary", op, operand, span: cover(token, operand) });
}

/** Applies tails left to right. */
function applyAll(first: Expr, tails: Tail[]): Expr {
  return tails.reduce((e, tail) => tail(e), first);
}

/** `operand (op operand)*`, folded to the left, as a list of tails. */
function binaryTails(op: P.Parser<BinaryOp>, operand: P.Parser<Expr>): P.Parser<Tail[]> {
  return P.seqMap(op, operand, (o, right): Tail => (left) => binary(o, left, right)).many();
}

/** Binary operator tokens; all soft (they may follow any complete operand). */
function ops(...spellings: [string, BinaryOp, string?][]): P.Parser<BinaryOp> {
  return P.alt(
    ...spellings.map(([s, op, notBefore]) => sym(s, { soft: true, notBefore }).map(() => op)),
  );
}

const MULTIPLICATIVE_OPS = ops(["*", "*"], ["/", "/", "*"], ["%", "%"], ["&", "&"]);
const ADDITIVE_OPS = ops(["+", "+"], ["-", "-", ">"], ["|", "|"], ["^", "^"]);
const AND_OP = keyword("AND", true).map((): BinaryOp => "AND");
const OR_OP = keyword("OR", true).map((): BinaryOp => "OR");
const COMPARISON_OPS = ops(
  ["<=", "<="],
  [">=", ">="],
  ["<>", "!="],
  ["!=", "!="],
  ["<", "<"],
  [">", ">"],
  ["=", "="],
);

// ---------------------------------------------------------------------------------------------
// Primary
// ---------------------------------------------------------------------------------------------

/** `TRUE` / `FALSE`. */
export const booleanLiteral: P.Parser<BooleanLiteral> = P.alt(
  keyword("TRUE").map((span): BooleanLiteral => ({ kind: "BooleanLiteral", value: true, span })),
  keyword("FALSE").map((span): BooleanLiteral => ({ kind: "BooleanLiteral", value: false, span })),
);

const timeUnit: P.Parser<TimeUnitLiteral> = oneOfKeywords(TIME_UNITS).map((
  { word, span },
): TimeUnitLiteral => ({ kind: "TimeUnitLiteral", unit: word, span }));

/** `*` as a select field or call argument. */
export const star: P.Parser<Wildcard> = sym("*").map((span): Wildcard => ({
  kind: "Wildcard",
  span,
}));

/** `s.*` as a select field or call argument. */
export const qualifiedStar: P.Parser<Wildcard> = P.seqMap(
  name,
  sym(".", { soft: true }),
  sym("*"),
  (s, _dot, end): Wildcard => ({ kind: "Wildcard", stream: s.name, span: cover(s, end) }),
);

/** A call argument: `*`, `s.*` or an expression. */
const callArg: P.Parser<Expr> = P.alt(star, label("expression", P.alt(qualifiedStar, expr)));

/** `FILTER (WHERE cond)` after a call. */
const filterClause: P.Parser<{ value: Expr; span: Span }> = keyword("FILTER", true)
  .then(parens(keyword("WHERE").then(expr)));

/** `OVER ([PARTITION BY e1, e2] [WHEN cond])` after a call. */
const overClause: P.Parser<{ value: OverClause; span: Span }> = keyword("OVER", true).then(
  parens(P.seqMap(
    opt(keyword("PARTITION").then(keyword("BY")).then(commaList(expr))),
    opt(keyword("WHEN").then(expr)),
    (partitionBy, when) => prune({ partitionBy: partitionBy ?? [], when }),
  )),
);

/** The rest of a call after its name: `(args) [FILTER (...)] [OVER (...)]`. Time units are
 * arguments of window functions only. */
function callRest(fn: Name): P.Parser<CallExpr> {
  const callName = fn.name.toLowerCase();
  const arg = isWindowName(callName) ? P.alt(timeUnit, callArg) : callArg;
  return P.seqMap(
    sym("(", { soft: true }),
    P.sepBy(arg, sym(",")),
    sym(")"),
    opt(filterClause),
    opt(overClause),
    (_open, args, close, filter, over): CallExpr =>
      prune({
        kind: "Call",
        name: callName,
        args,
        filter: filter?.value,
        over: over?.value,
        span: cover(fn, over ?? filter ?? close),
      }),
  );
}

/** A call `f(...)` or a field reference `f`. */
const callOrField: P.Parser<Expr> = identifier.chain((n) =>
  P.alt<Expr>(callRest(n), P.succeed(fieldRef(n)))
);

/** `WHEN cond THEN result`. */
const whenClause = P.seqMap(
  keyword("WHEN"),
  expr,
  keyword("THEN"),
  expr,
  (_w, when, _t, then) => ({ when, then }),
);

/** `CASE [operand] WHEN ... THEN ... [ELSE ...] END` (simple form when the operand is given). */
const caseExpr: P.Parser<CaseExpr> = P.seqMap(
  keyword("CASE"),
  opt(expr),
  whenClause.atLeast(1),
  opt(keyword("ELSE").then(expr)),
  keyword("END"),
  (start, operand, whens, otherwise, end): CaseExpr =>
    prune({ kind: "Case", operand, whens, else: otherwise, span: cover(start, end) }),
);

/** `( expr )`: the inner node, re-spanned to include the parentheses. */
const parenthesized: P.Parser<Expr> = parens(expr).map(({ value, span }) => ({ ...value, span }));

const primary: P.Parser<Expr> = P.alt<Expr>(
  numberLiteral,
  stringLiteral,
  booleanLiteral,
  caseExpr,
  parenthesized,
  callOrField,
  quotedIdentifier.map(fieldRef),
);

// ---------------------------------------------------------------------------------------------
// Postfix operators
// ---------------------------------------------------------------------------------------------

/** `[i]`, `[a:b]`, `[:b]`, `[a:]`, `[]` after `[`; completed with the object and the span. */
const bracketBody: P.Parser<(object: Expr, span: Span) => Expr> = P.alt(
  P.seqMap(
    sym(":"),
    opt(expr),
    (_c, end) => (object: Expr, span: Span) => prune({ kind: "Slice", object, end, span }),
  ),
  P.seqMap(
    expr,
    opt(sym(":").then(opt(expr)).map((end) => ({ end }))),
    (start, colon) => (object: Expr, span: Span): Expr =>
      colon
        ? prune({ kind: "Slice", object, start, end: colon.end, span })
        : { kind: "Index", object, index: start, span },
  ),
  P.succeed((object: Expr, span: Span): Expr => ({ kind: "Slice", object, span })),
);

const arrowKey: P.Parser<Tail> = P.seqMap(
  sym("->", { soft: true }),
  key,
  (_a, k): Tail => (object) => ({
    kind: "Access",
    object,
    key: k.name,
    span: cover(object, k),
  }),
);

const bracket: P.Parser<Tail> = P.seqMap(
  sym("[", { soft: true }),
  bracketBody,
  sym("]"),
  (_l, body, close): Tail => (object) => body(object, cover(object, close)),
);

const dotKey: P.Parser<Tail> = P.seqMap(
  sym(".", { soft: true }),
  key,
  (_d, k): Tail => (object) => dotAccess(object, k),
);

const postfixOp: P.Parser<Tail> = P.alt(arrowKey, bracket, dotKey);

// ---------------------------------------------------------------------------------------------
// Comparison operators (built from the additive level they compare)
// ---------------------------------------------------------------------------------------------

/** Builds `x [NOT] IN ...`, `x [NOT] BETWEEN ...` or `x [NOT] LIKE ...` from `x` and NOT. */
type Negatable = (expr: Expr, not: boolean) => Expr;

/**
 * The right side of `IN`: a parenthesised list `(a, b)` (one element too: `IN (x)`), or one
 * additive expression (`IN arr`, `IN (arr)[0]`). A parenthesised first element is parsed once,
 * then either closes the list or is continued (by `continuation`) into an expression, so there
 * is no backtracking over it.
 */
function inRight(
  additive: P.Parser<Expr>,
  continuation: P.Parser<Tail[]>,
): P.Parser<{ list: Expr[] | Expr; span: Span }> {
  const listRest = P.seqMap(sym(",").then(commaList(expr)), sym(")"), (rest, close) => ({
    rest,
    close,
    tails: [] as Tail[],
  }));
  const groupRest = P.seqMap(
    sym(")"),
    continuation,
    (close, tails) => ({ rest: [], close, tails }),
  );
  const parenthesised = P.seqMap(
    sym("("),
    expr,
    P.alt(listRest, groupRest),
    (open, first, more) => {
      if (more.tails.length === 0) return { list: [first, ...more.rest], span: more.close };
      const single = applyAll({ ...first, span: cover(open, more.close) }, more.tails);
      return { list: single, span: single.span };
    },
  );
  const bare = P.notFollowedBy(sym("(")).then(additive).map((e) => ({ list: e, span: e.span }));
  return P.alt(parenthesised, bare);
}

function inTail(additive: P.Parser<Expr>, continuation: P.Parser<Tail[]>): P.Parser<Negatable> {
  return keyword("IN", true).then(inRight(additive, continuation)).map((right) => (expr, not) => ({
    kind: "In",
    not,
    expr,
    list: right.list,
    span: cover(expr, right),
  }));
}

function betweenTail(additive: P.Parser<Expr>): P.Parser<Negatable> {
  return P.seqMap(
    keyword("BETWEEN", true).then(additive),
    keyword("AND").then(additive),
    (low, high): Negatable => (expr, not) => ({
      kind: "Between",
      not,
      expr,
      low,
      high,
      span: cover(expr, high),
    }),
  );
}

function likeTail(additive: P.Parser<Expr>): P.Parser<Negatable> {
  return keyword("LIKE", true).then(additive).map((pattern) => (expr, not) => ({
    kind: "Like",
    not,
    expr,
    pattern,
    span: cover(expr, pattern),
  }));
}

const isNullTail: P.Parser<Tail> = P.seqMap(
  keyword("IS", true),
  opt(keyword("NOT")),
  keyword("NULL"),
  (_is, not, end): Tail => (expr) => ({
    kind: "IsNull",
    not: not !== undefined,
    expr,
    span: cover(expr, end),
  }),
);

/** One comparison after a left operand: `= b`, `[NOT] IN ...`, `[NOT] BETWEEN ...`,
 * `[NOT] LIKE ...`, `IS [NOT] NULL`. */
function comparisonTail(additive: P.Parser<Expr>, continuation: P.Parser<Tail[]>): P.Parser<Tail> {
  const negatable = P.alt(
    inTail(additive, continuation),
    betweenTail(additive),
    likeTail(additive),
  );
  return P.alt(
    P.seqMap(COMPARISON_OPS, additive, (op, right): Tail => (left) => binary(op, left, right)),
    P.seqMap(
      opt(keyword("NOT", true)),
      negatable,
      (not, build): Tail => (left) => build(left, not !== undefined),
    ),
    isNullTail,
  );
}

// ---------------------------------------------------------------------------------------------
// The precedence ladder, tightest level first (see the table at the top of the file)
// ---------------------------------------------------------------------------------------------

const postfixed: P.Parser<Expr> = P.seqMap(primary, postfixOp.many(), applyAll);

/** The unary level: `-x` or a postfixed primary; the operand of all arithmetic operators
 * (named "expression" in error messages). */
export const operand: P.Parser<Expr> = label(
  "expression",
  P.lazy(() => P.alt(postfixed, negation)),
);
const negation: P.Parser<Expr> = P.seqMap(sym("-", { notBefore: ">" }), operand, prefix("-"));

const multiplicativeTails = binaryTails(MULTIPLICATIVE_OPS, operand);
const multiplicative: P.Parser<Expr> = P.seqMap(operand, multiplicativeTails, applyAll);

const additiveTails = binaryTails(ADDITIVE_OPS, multiplicative);
const additive: P.Parser<Expr> = P.seqMap(multiplicative, additiveTails, applyAll);

/** What may extend a parenthesised group into an additive expression (see `inRight`). */
const groupContinuation: P.Parser<Tail[]> = P.seqMap(
  postfixOp.many(),
  multiplicativeTails,
  additiveTails,
  (postfix, mul, add) => [...postfix, ...mul, ...add],
);
const comparisonTails = comparisonTail(additive, groupContinuation).many();
const comparison: P.Parser<Expr> = P.seqMap(additive, comparisonTails, applyAll);

const notLevel: P.Parser<Expr> = label(
  "expression",
  P.lazy(() => P.alt(P.seqMap(keyword("NOT"), notLevel, prefix("NOT")), comparison)),
);

const andLevel: P.Parser<Expr> = P.seqMap(notLevel, binaryTails(AND_OP, notLevel), applyAll);

const orLevel: P.Parser<Expr> = P.seqMap(andLevel, binaryTails(OR_OP, andLevel), applyAll);
