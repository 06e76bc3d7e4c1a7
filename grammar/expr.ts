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
  OrderItem,
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
  token,
} from "./lexeme.ts";
import { abort } from "./errors.ts";
import { TIME_UNITS } from "./keywords.ts";
import { isWindowName } from "./window.ts";
import { nested } from "./nesting.ts";

/** Turns a left operand into a bigger expression (a postfix operator, `+ b`, `IN (...)`...). */
type Tail = (left: Expr) => Expr;

/** A complete expression. */
export const expr: P.Parser<Expr> = nested("expressions", P.lazy(() => orLevel));

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

/**
 * The binary operators of one precedence level as a single token: one regular expression and one
 * soft label, `operator`. Any complete operand may be followed by a dozen operators; tried one by
 * one, each failure adds a label that Parsimmon merges (with a sort) into the expected set, which
 * dominated parse time. Spellings are normalised by dropping blanks (eKuiper's scanner allows
 * `t> = 20.5` and `a ! = b`) and looked up in `table`.
 */
function operatorToken(re: RegExp, table: Record<string, BinaryOp>): P.Parser<BinaryOp> {
  return token(re, "~operator").map((t) => table[t.text.replace(/\s+/g, "")]);
}

const MULTIPLICATIVE_OPS = operatorToken(/\*|\/(?!\*)|%|&/, {
  "*": "*",
  "/": "/",
  "%": "%",
  "&": "&",
});
const ADDITIVE_OPS = operatorToken(/\+|-(?![->])|\||\^/, {
  "+": "+",
  "-": "-",
  "|": "|",
  "^": "^",
});
const COMPARISON_OPS = operatorToken(/[<>!]\s*=|<>|<|>|=/, {
  "<=": "<=",
  ">=": ">=",
  "!=": "!=",
  "<>": "!=",
  "<": "<",
  ">": ">",
  "=": "=",
});
const AND_OP = keyword("AND", true).map((): BinaryOp => "AND");
const OR_OP = keyword("OR", true).map((): BinaryOp => "OR");

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

/** `EXCEPT(a, b)` after a wildcard. */
const exceptList = keyword("EXCEPT", true).then(parens(commaList(name)));

/** `REPLACE(expr AS c, ...)` after a wildcard. */
const replaceList = keyword("REPLACE", true).then(parens(commaList(
  P.seqMap(expr, keyword("AS"), name, (e, _as, alias) => ({ expr: e, alias: alias.name })),
)));

/** A wildcard with optional `EXCEPT(...)` and `REPLACE(...)`, spanning them. */
function withModifiers(wildcard: P.Parser<Wildcard>): P.Parser<Wildcard> {
  return P.seqMap(wildcard, opt(exceptList), opt(replaceList), (w, except, replace) =>
    prune({
      ...w,
      except: except?.value.map((n) => n.name),
      replace: replace?.value,
      span: cover(w, replace ?? except ?? w),
    }));
}

/** `*` as a select field or call argument, with optional `EXCEPT(...)` / `REPLACE(...)`
 * (eKuiper accepts them in arguments too: `count(* EXCEPT(a))`, `changed_cols(..., * EXCEPT(a))`). */
export const star: P.Parser<Wildcard> = withModifiers(
  sym("*").map((span): Wildcard => ({ kind: "Wildcard", span })),
);

/** `s.*` as a select field or call argument, with the same optional modifiers. */
export const qualifiedStar: P.Parser<Wildcard> = withModifiers(P.seqMap(
  name,
  sym(".", { soft: true }),
  sym("*"),
  (s, _dot, end): Wildcard => ({ kind: "Wildcard", stream: s.name, span: cover(s, end) }),
));

/** A call argument: `*`, `s.*` or an expression. */
const callArg: P.Parser<Expr> = P.alt(star, label("expression", P.alt(qualifiedStar, expr)));

/** `expr [ASC|DESC]` in ORDER BY (of a statement, or of `OVER` for `row_number()`). */
export const orderItem: P.Parser<{ value: OrderItem; span: Span }> = P.seqMap(
  expr,
  opt(oneOfKeywords(["ASC", "DESC"] as const, true)),
  (e, dir) => ({ value: { expr: e, descending: dir?.word === "DESC" }, span: cover(e, dir ?? e) }),
);

/** `ORDER BY item, ...`. */
export const orderByList: P.Parser<{ value: OrderItem[]; span: Span }> = keyword("ORDER")
  .then(keyword("BY"))
  .then(commaList(orderItem))
  .map((items) => ({
    value: items.map((i) => i.value),
    span: cover(items[0], items[items.length - 1]),
  }));

/** `FILTER (WHERE cond)` after a call. */
const filterClause: P.Parser<{ value: Expr; span: Span }> = keyword("FILTER", true)
  .then(parens(keyword("WHERE").then(expr)));

/** `OVER ([PARTITION BY e1, e2] [ORDER BY e3 DESC] [WHEN cond])` after a call; at least one
 * part, as in eKuiper (ORDER BY is for `row_number()`, WHEN for analytic functions; which
 * function may have which is the analyser's business). */
const overClause: P.Parser<{ value: OverClause; span: Span }> = keyword("OVER", true).then(
  parens(
    P.seqMap(
      P.index,
      opt(keyword("PARTITION").then(keyword("BY")).then(commaList(expr))),
      opt(orderByList),
      opt(keyword("WHEN").then(expr)),
      (at, partitionBy, orderBy, when) => ({ at, partitionBy, orderBy, when }),
    ).chain(({ at, partitionBy, orderBy, when }) =>
      // A failure rather than an abort: an error further inside (`OVER (WHEN`) is more precise.
      partitionBy || orderBy || when
        ? P.succeed(prune({ partitionBy: partitionBy ?? [], orderBy: orderBy?.value, when }))
        : P<OverClause>(() =>
          P.makeFailure(at.offset, "!OVER needs PARTITION BY, ORDER BY or WHEN")
        )
    ),
  ),
);

/** What follows a function name. */
interface CallTail {
  args: Expr[];
  close: Span;
  filter?: { value: Expr; span: Span };
  over?: { value: OverClause; span: Span };
}

/** The rest of a call after its name: `(args) [FILTER (...)] [OVER (...)]`. One static parser
 * for every call (no parser built per name); time units are parsed as arguments of any call
 * and rejected by {@link call} unless the call is a window. */
const callTail: P.Parser<CallTail> = P.seqMap(
  sym("(", { soft: true }),
  // (a time unit is one more kind of "expression" in messages)
  P.sepBy(P.alt(label("expression", timeUnit), callArg), sym(",")),
  sym(")"),
  opt(filterClause),
  opt(overClause),
  (_open, args, close, filter, over) => ({ args, close, filter, over }),
);

/** Builds the call node; a time unit argument is an error outside window calls. */
function call(fn: Name, tail: CallTail): CallExpr {
  const name = fn.name.toLowerCase();
  const unit = isWindowName(name) ? undefined : tail.args.find((a) => a.kind === "TimeUnitLiteral");
  if (unit) {
    abort(
      unit.span.start,
      `time unit ${(unit as TimeUnitLiteral).unit} is only an argument of window functions`,
    );
  }
  const { args, close, filter, over } = tail;
  return prune({
    kind: "Call",
    name,
    args,
    filter: filter?.value,
    over: over?.value,
    span: cover(fn, over ?? filter ?? close),
  });
}

/** A call `f(...)` or a field reference `f`. */
const callOrField: P.Parser<Expr> = P.seqMap(
  identifier,
  opt(callTail),
  (n, tail): Expr => (tail ? call(n, tail) : fieldRef(n)),
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

/** The postfix operators share the soft label `operator` too (see {@link operatorToken}). */
const arrowKey: P.Parser<Tail> = P.seqMap(
  token(/->/, "~operator"),
  key,
  (_a, k): Tail => (object) => ({
    kind: "Access",
    object,
    key: k.name,
    span: cover(object, k),
  }),
);

const bracket: P.Parser<Tail> = P.seqMap(
  token(/\[/, "~operator"),
  bracketBody,
  sym("]"),
  (_l, body, close): Tail => (object) => body(object, cover(object, close)),
);

const dotKey: P.Parser<Tail> = P.seqMap(
  token(/\./, "~operator"),
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
  return guarded(
    COMPARISON_START,
    P.alt(
      P.seqMap(COMPARISON_OPS, additive, (op, right): Tail => (left) => binary(op, left, right)),
      P.seqMap(
        opt(keyword("NOT", true)),
        negatable,
        (not, build): Tail => (left) => build(left, not !== undefined),
      ),
      isNullTail,
    ),
  );
}

/** What can start a comparison tail. */
const COMPARISON_START = /[<>!=]|(?:NOT|IN|BETWEEN|LIKE|IS)(?![A-Za-z0-9_])/iy;

/**
 * `p`, tried only where `start` matches (a cheap look at the next token); elsewhere one failure
 * with the soft label `operator`. After every operand a comparison could follow; trying its
 * eight alternatives one by one costs eight failures whose labels Parsimmon merges with a sort,
 * and soft labels are not shown in messages when anything else was expected anyway.
 */
function guarded<T>(start: RegExp, p: P.Parser<T>): P.Parser<T> {
  const inner = p as unknown as { _: (input: string, i: number) => P.Reply<T> };
  return P((input, i) => {
    start.lastIndex = i;
    return start.test(input) ? inner._(input, i) : P.makeFailure(i, "~operator");
  });
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
const negation: P.Parser<Expr> = P.seqMap(
  sym("-", { notBefore: ">" }),
  nested("expressions", operand),
  prefix("-"),
);

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
  P.lazy(() =>
    P.alt(P.seqMap(keyword("NOT"), nested("expressions", notLevel), prefix("NOT")), comparison)
  ),
);

const andLevel: P.Parser<Expr> = P.seqMap(notLevel, binaryTails(AND_OP, notLevel), applyAll);

const orLevel: P.Parser<Expr> = P.seqMap(andLevel, binaryTails(OR_OP, andLevel), applyAll);
