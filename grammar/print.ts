/**
 * Prints an AST back to SQL that parses to the same AST (spans aside). Parentheses are added
 * only where the precedence ladder of `expr.ts` requires them.
 *
 * Known limits: a name containing a backtick cannot be printed, and `x IN e` whose single,
 * non-list right side needs parentheses (`x IN (a OR b)`) reads back as a one-element list.
 *
 * @module
 */

import type {
  CreateStreamStatement,
  Expr,
  FieldType,
  OrderItem,
  OverClause,
  SelectField,
  SelectStatement,
  SourceRef,
  Statement,
  StreamField,
  Wildcard,
} from "../src/sql/ast.ts";
import { isReserved } from "./keywords.ts";
import { windowFunctionName } from "./window.ts";

/** Binding strength of each level of the ladder in `expr.ts` (higher binds tighter). */
const Prec = {
  Or: 1,
  And: 2,
  Not: 3,
  Comparison: 4,
  Additive: 5,
  Multiplicative: 6,
  Unary: 7,
  Postfix: 8,
  Primary: 9,
} as const;
type Prec = number;

const BINARY_PREC: Record<string, Prec> = {
  OR: Prec.Or,
  AND: Prec.And,
  "=": Prec.Comparison,
  "!=": Prec.Comparison,
  "<": Prec.Comparison,
  "<=": Prec.Comparison,
  ">": Prec.Comparison,
  ">=": Prec.Comparison,
  "+": Prec.Additive,
  "-": Prec.Additive,
  "|": Prec.Additive,
  "^": Prec.Additive,
  "*": Prec.Multiplicative,
  "/": Prec.Multiplicative,
  "%": Prec.Multiplicative,
  "&": Prec.Multiplicative,
};

function precedence(e: Expr): Prec {
  switch (e.kind) {
    case "Binary":
      return BINARY_PREC[e.op];
    case "Unary":
      return e.op === "NOT" ? Prec.Not : Prec.Unary;
    case "Between":
    case "In":
    case "Like":
    case "IsNull":
      return Prec.Comparison;
    case "Access":
    case "Index":
    case "Slice":
      return Prec.Postfix;
    default:
      return Prec.Primary;
  }
}

/** Prints `e`, parenthesised if it binds looser than `min`. */
function sub(e: Expr, min: Prec): string {
  const text = printExpr(e);
  return precedence(e) < min ? `(${text})` : text;
}

/** Prints an expression as SQL. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "FieldRef":
      return e.stream === undefined ? ident(e.name) : `${ident(e.stream)}.${ident(e.name)}`;
    case "Wildcard":
      return printWildcard(e);
    case "IntegerLiteral":
      return `${e.value}`;
    case "NumberLiteral":
      return printFloat(e.value);
    case "StringLiteral":
      return quote(e.value);
    case "BooleanLiteral":
      return e.value ? "TRUE" : "FALSE";
    case "TimeUnitLiteral":
      return e.unit;
    case "Binary": {
      const p = BINARY_PREC[e.op];
      return `${sub(e.left, p)} ${e.op} ${sub(e.right, p + 1)}`;
    }
    case "Unary":
      return e.op === "NOT" ? `NOT ${sub(e.operand, Prec.Not)}` : `-${negated(e.operand)}`;
    case "Between":
      return `${sub(e.expr, Prec.Comparison)} ${not(e.not)}BETWEEN ${
        sub(e.low, Prec.Additive)
      } AND ${sub(e.high, Prec.Additive)}`;
    case "In": {
      const list = Array.isArray(e.list)
        ? `(${e.list.map(printExpr).join(", ")})`
        : sub(e.list, Prec.Additive);
      return `${sub(e.expr, Prec.Comparison)} ${not(e.not)}IN ${list}`;
    }
    case "Like":
      return `${sub(e.expr, Prec.Comparison)} ${not(e.not)}LIKE ${sub(e.pattern, Prec.Additive)}`;
    case "IsNull":
      return `${sub(e.expr, Prec.Comparison)} IS ${not(e.not)}NULL`;
    case "Access":
      return `${sub(e.object, Prec.Postfix)}->${key(e.key)}`;
    case "Index":
      return `${sub(e.object, Prec.Postfix)}[${printExpr(e.index)}]`;
    case "Slice":
      return `${sub(e.object, Prec.Postfix)}[${optional(e.start)}:${optional(e.end)}]`;
    case "Case": {
      const operand = e.operand ? ` ${printExpr(e.operand)}` : "";
      const whens = e.whens.map((w) => ` WHEN ${printExpr(w.when)} THEN ${printExpr(w.then)}`);
      const otherwise = e.else ? ` ELSE ${printExpr(e.else)}` : "";
      return `CASE${operand}${whens.join("")}${otherwise} END`;
    }
    case "Call":
      return `${e.name}(${e.args.map(printExpr).join(", ")})${filter(e.filter)}${over(e.over)}`;
    case "Window": {
      const args = e.args.map(printExpr).join(", ");
      const overClause = e.trigger || e.partitionBy
        ? over({ partitionBy: e.partitionBy ?? [], when: e.trigger })
        : "";
      return `${windowFunctionName(e.windowType)}(${args})${filter(e.filter)}${overClause}`;
    }
  }
}

/** The operand of unary minus; parenthesised when it would otherwise read as a negative number
 * (`-(3)`) or as a comment (`--a`). */
function negated(operand: Expr): string {
  const text = sub(operand, Prec.Unary);
  return /^[-.\d]/.test(text) ? `(${text})` : text;
}

function not(negated: boolean): string {
  return negated ? "NOT " : "";
}

function optional(e: Expr | undefined): string {
  return e ? printExpr(e) : "";
}

function filter(cond: Expr | undefined): string {
  return cond ? ` FILTER (WHERE ${printExpr(cond)})` : "";
}

function over(clause: OverClause | undefined): string {
  if (!clause) return "";
  const parts = [];
  if (clause.partitionBy.length > 0) {
    parts.push(`PARTITION BY ${clause.partitionBy.map(printExpr).join(", ")}`);
  }
  if (clause.orderBy) parts.push(`ORDER BY ${orderItems(clause.orderBy)}`);
  if (clause.when) parts.push(`WHEN ${printExpr(clause.when)}`);
  return ` OVER (${parts.join(" ")})`;
}

function orderItems(items: OrderItem[]): string {
  return items.map((o) => `${printExpr(o.expr)}${o.descending ? " DESC" : ""}`).join(", ");
}

function printWildcard(w: Wildcard): string {
  const base = w.stream === undefined ? "*" : `${ident(w.stream)}.*`;
  const except = w.except ? ` EXCEPT(${w.except.map(ident).join(", ")})` : "";
  const replace = w.replace
    ? ` REPLACE(${w.replace.map((r) => `${printExpr(r.expr)} AS ${ident(r.alias)}`).join(", ")})`
    : "";
  return base + except + replace;
}

/** A float that reads back as a NumberLiteral (`1000` -> `1000.0`). */
function printFloat(value: number): string {
  if (Object.is(value, -0)) return "-0.0";
  const text = `${value}`;
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** A double-quoted string literal with backslash escapes. */
function quote(value: string): string {
  const escaped = value.replace(/[\\"\p{Cc}]/gu, (c) => {
    const named: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t" };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name, backtick-quoted unless it is a plain, non-reserved identifier. */
function ident(name: string): string {
  return PLAIN_NAME.test(name) && !isReserved(name) ? name : `\`${name}\``;
}

/** A key after `->` (reserved words need no quotes there). */
function key(name: string): string {
  return PLAIN_NAME.test(name) ? name : `\`${name}\``;
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** Prints a statement as SQL (without a trailing `;`). */
export function printStatement(s: Statement): string {
  switch (s.kind) {
    case "Select":
      return printSelect(s);
    case "CreateStream":
      return printCreate(s);
    case "ShowStreams":
      return `SHOW ${s.streamKind === "stream" ? "STREAMS" : "TABLES"}`;
    case "DescribeStream":
      return `DESCRIBE ${s.streamKind.toUpperCase()} ${ident(s.name)}`;
    case "DropStream":
      return `DROP ${s.streamKind.toUpperCase()} ${ident(s.name)}`;
    case "ExplainStream":
      return `EXPLAIN ${s.streamKind.toUpperCase()} ${ident(s.name)}`;
  }
}

function printSelect(s: SelectStatement): string {
  const parts = [`SELECT ${s.fields.map(printField).join(", ")}`, `FROM ${printSource(s.from)}`];
  for (const j of s.joins) {
    parts.push(
      `${j.joinType} JOIN ${printSource(j.source)}${j.on ? ` ON ${printExpr(j.on)}` : ""}`,
    );
  }
  if (s.where) parts.push(`WHERE ${printExpr(s.where)}`);
  if (s.groupBy) parts.push(`GROUP BY ${s.groupBy.map(printExpr).join(", ")}`);
  if (s.having) parts.push(`HAVING ${printExpr(s.having)}`);
  if (s.orderBy) {
    parts.push(`ORDER BY ${orderItems(s.orderBy)}`);
  }
  if (s.limit !== undefined) parts.push(`LIMIT ${s.limit}`);
  return parts.join(" ");
}

function printField(f: SelectField): string {
  const alias = f.alias !== undefined ? ` AS ${ident(f.alias)}` : "";
  return `${printExpr(f.expr)}${alias}${f.invisible ? " INVISIBLE" : ""}`;
}

function printSource(s: SourceRef): string {
  return `${ident(s.name)}${s.alias !== undefined ? ` AS ${ident(s.alias)}` : ""}`;
}

function printCreate(s: CreateStreamStatement): string {
  const options = Object.entries(s.options).map(([k, v]) =>
    `${k}=${typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : quote(v)}`
  );
  const kind = s.streamKind.toUpperCase();
  return `CREATE ${kind} ${ident(s.name)} (${printFields(s.fields)}) WITH (${options.join(", ")})`;
}

function printFields(fields: StreamField[]): string {
  return fields.map((f) => {
    const dflt = f.default === undefined ? "" : ` DEFAULT ${printDefault(f.default)}`;
    return `${ident(f.name)} ${printType(f.type)}${dflt}`;
  }).join(", ");
}

function printDefault(value: string | number | boolean): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return `${value}`;
}

function printType(t: FieldType): string {
  switch (t.type) {
    case "array":
      return `ARRAY(${printType(t.elementType)})`;
    case "struct":
      return `STRUCT(${printFields(t.fields)})`;
    default:
      return t.type.toUpperCase();
  }
}
