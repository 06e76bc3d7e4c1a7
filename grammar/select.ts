/**
 * The SELECT statement (SPEC §4.1):
 *
 *     SELECT fields FROM source [AS alias] joins* [WHERE e] [GROUP BY e, ...] [HAVING e]
 *       [ORDER BY e [ASC|DESC], ...] [LIMIT n]
 *
 * Weir accepts a bare `JOIN` as `INNER JOIN` and `LEFT|RIGHT|FULL OUTER JOIN` (eKuiper rejects
 * both). The optional trailing `;` is handled by the entry points in `mod.ts`.
 *
 * @module
 */

import P from "parsimmon";
import type {
  Expr,
  JoinClause,
  JoinType,
  OrderItem,
  SelectField,
  SelectStatement,
  SourceRef,
  Span,
  Wildcard,
} from "../src/sql/ast.ts";
import { abort } from "./errors.ts";
import { expr, operand, orderByList, qualifiedStar, star } from "./expr.ts";
import { RESERVED_WORDS } from "./keywords.ts";
import {
  commaList,
  cover,
  keyword,
  label,
  name,
  oneOfKeywords,
  opt,
  prune,
  quotedIdentifier,
  token,
} from "./lexeme.ts";
import { convertGroupBy } from "./window.ts";

/** A clause's value and span (for the statement's span). */
interface Spanned<T> {
  value: T;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

/** `*` or `s.*` (with optional `EXCEPT(...)` and `REPLACE(...)`); an alias is an error. */
function wildcardField(wildcard: P.Parser<Wildcard>): P.Parser<SelectField> {
  return P.seqMap(wildcard, opt(keyword("AS", true)), (w, as): SelectField => {
    if (as) abort(as.start, "'*' cannot have an alias");
    return { expr: w, span: w.span };
  });
}

/** `expr [AS alias] [INVISIBLE]`. */
const exprField: P.Parser<SelectField> = P.seqMap(
  expr,
  opt(keyword("AS").then(name)),
  opt(keyword("INVISIBLE", true)),
  (e, alias, invisible): SelectField =>
    prune({
      expr: e,
      alias: alias?.name,
      invisible: invisible ? true : undefined,
      span: cover(e, invisible ?? alias ?? e),
    }),
);

const field: P.Parser<SelectField> = P.alt(
  wildcardField(star),
  label("expression", P.alt(wildcardField(qualifiedStar), exprField)),
);

// ---------------------------------------------------------------------------------------------
// Sources and joins
// ---------------------------------------------------------------------------------------------

const RESERVED = [...RESERVED_WORDS].join("|");

/** A bare source name; eKuiper lets MQTT-like names such as `devices/+/events/#` through. */
const bareSourceName = token(
  new RegExp(`(?!(?:${RESERVED})(?![\\w#+/]))(?:[\\w#+]|/(?![*]))+`, "i"),
  "stream name",
).map((t) => ({ name: t.text, span: t.span }));

/** `name [AS alias]`. */
const source: P.Parser<SourceRef> = P.seqMap(
  label("stream name", P.alt(quotedIdentifier, bareSourceName)),
  opt(keyword("AS").then(name)),
  (n, alias): SourceRef => prune({ name: n.name, alias: alias?.name, span: cover(n, alias ?? n) }),
);

/** `INNER JOIN`, `LEFT [OUTER] JOIN`, ..., `CROSS JOIN`, or a bare `JOIN` (= INNER). */
const joinType: P.Parser<{ type: JoinType; span: Span }> = label(
  "JOIN",
  P.alt(
    P.seqMap(
      oneOfKeywords(["INNER", "LEFT", "RIGHT", "FULL", "CROSS"] as const),
      opt(keyword("OUTER")),
      keyword("JOIN"),
      (t, outer, end) => {
        if (outer && (t.word === "INNER" || t.word === "CROSS")) {
          abort(outer.start, `OUTER is not allowed with ${t.word} JOIN`);
        }
        return { type: t.word, span: cover(t.span, end) };
      },
    ),
    keyword("JOIN").map((span) => ({ type: "INNER" as const, span })),
  ),
);

const join: P.Parser<JoinClause> = P.seqMap(
  joinType,
  source,
  opt(P.seqMap(keyword("ON"), expr, (on, e) => ({ on, e }))),
  (type, src, on): JoinClause => {
    if (on && type.type === "CROSS") abort(on.on.start, "CROSS JOIN cannot have an ON condition");
    return prune({ joinType: type.type, source: src, on: on?.e, span: cover(type, on?.e ?? src) });
  },
);

// ---------------------------------------------------------------------------------------------
// Clauses
// ---------------------------------------------------------------------------------------------

const fromClause: P.Parser<SourceRef> = keyword("FROM").then(source);

const whereClause: P.Parser<Expr> = keyword("WHERE").then(expr);

const groupByClause: P.Parser<Spanned<Expr[]>> = keyword("GROUP").then(keyword("BY"))
  .then(commaList(expr))
  .map((items) => ({
    value: convertGroupBy(items),
    span: cover(items[0], items[items.length - 1]),
  }));

const havingClause: P.Parser<Expr> = keyword("HAVING").then(expr);

const orderByClause: P.Parser<Spanned<OrderItem[]>> = orderByList;

/** `LIMIT n`: a non-negative integer literal. */
const limitClause: P.Parser<Spanned<number>> = keyword("LIMIT").then(label("integer", operand))
  .map((n) => {
    if (n.kind !== "IntegerLiteral") abort(n.span.start, "limit should be integer");
    if (n.value < 0) abort(n.span.start, "limit should be a non-negative integer");
    return { value: n.value, span: n.span };
  });

// ---------------------------------------------------------------------------------------------
// Statement
// ---------------------------------------------------------------------------------------------

export const selectStatement: P.Parser<SelectStatement> = P.seqMap(
  keyword("SELECT"),
  commaList(field),
  fromClause,
  join.many(),
  opt(whereClause),
  opt(groupByClause),
  opt(havingClause),
  opt(orderByClause),
  opt(limitClause),
  (select, fields, from, joins, where, groupBy, having, orderBy, limit): SelectStatement => {
    const last = limit ?? orderBy ?? having ?? groupBy ?? where ?? joins[joins.length - 1] ?? from;
    return prune({
      kind: "Select",
      fields,
      from,
      joins,
      where,
      groupBy: groupBy?.value,
      having,
      orderBy: orderBy?.value,
      limit: limit?.value,
      span: cover(select, last),
    });
  },
);
