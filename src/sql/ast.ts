/**
 * The SQL abstract syntax tree shared by the grammar (`grammar/`), the analyser and planner
 * (`src/planner/`) and the expression compiler (`src/expr/`).
 *
 * Every node is a plain, JSON-serialisable object tagged by `kind`, so that golden tests can
 * print it. `span` holds character offsets into the statement text (start inclusive, end
 * exclusive); analysis errors use it to report "line L, column C".
 *
 * @module
 */

/** Character offsets of a node in the SQL text. */
export interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** Binary operators, spelled as eKuiper prints them. `<>` is normalised to `!=`. */
export type BinaryOp =
  | "OR"
  | "AND"
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "&"
  | "|"
  | "^";

/** `name` or `stream.name` (the grammar cannot tell a stream qualifier from a JSON key:
 * `a.b` is parsed as a FieldRef with `stream: "a"`, and the analyser rewrites it to
 * `a->b` when `a` is not a FROM source, as eKuiper does). */
export interface FieldRef {
  kind: "FieldRef";
  stream?: string;
  name: string;
  span: Span;
}

/** `*`, `s.*`, `* EXCEPT(a, b)`, `* REPLACE(expr AS c)`. */
export interface Wildcard {
  kind: "Wildcard";
  stream?: string;
  except?: string[];
  replace?: { expr: Expr; alias: string }[];
  span: Span;
}

export interface IntegerLiteral {
  kind: "IntegerLiteral";
  value: number;
  span: Span;
}

export interface NumberLiteral {
  kind: "NumberLiteral";
  value: number;
  span: Span;
}

export interface StringLiteral {
  kind: "StringLiteral";
  value: string;
  span: Span;
}

export interface BooleanLiteral {
  kind: "BooleanLiteral";
  value: boolean;
  span: Span;
}

/** Time units of window calls: `DD HH MI SS MS`. */
export type TimeUnit = "DD" | "HH" | "MI" | "SS" | "MS";

export interface TimeUnitLiteral {
  kind: "TimeUnitLiteral";
  unit: TimeUnit;
  span: Span;
}

export interface BinaryExpr {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  span: Span;
}

/** `-x` on non-literals and `NOT x` (extensions over eKuiper, which has neither). */
export interface UnaryExpr {
  kind: "Unary";
  op: "-" | "NOT";
  operand: Expr;
  span: Span;
}

/** `x [NOT] BETWEEN low AND high` (inclusive). */
export interface BetweenExpr {
  kind: "Between";
  not: boolean;
  expr: Expr;
  low: Expr;
  high: Expr;
  span: Span;
}

/** `x [NOT] IN (a, b, c)` (list) or `x [NOT] IN arrayExpr` (single expression). */
export interface InExpr {
  kind: "In";
  not: boolean;
  expr: Expr;
  list: Expr[] | Expr;
  span: Span;
}

/** `x [NOT] LIKE pattern` with `%`, `_` and backslash escapes. */
export interface LikeExpr {
  kind: "Like";
  not: boolean;
  expr: Expr;
  pattern: Expr;
  span: Span;
}

/** `x IS [NOT] NULL` (an extension over eKuiper). */
export interface IsNullExpr {
  kind: "IsNull";
  not: boolean;
  expr: Expr;
  span: Span;
}

/** `object->key` (JSON object access). */
export interface AccessExpr {
  kind: "Access";
  object: Expr;
  key: string;
  span: Span;
}

/** `array[index]` (0-based, negative counts from the end). */
export interface IndexExpr {
  kind: "Index";
  object: Expr;
  index: Expr;
  span: Span;
}

/** `array[start:end]` (end exclusive; either bound may be absent; `arr[]` has neither). */
export interface SliceExpr {
  kind: "Slice";
  object: Expr;
  start?: Expr;
  end?: Expr;
  span: Span;
}

/** Simple (`CASE v WHEN 1 THEN ...`) when `operand` is set, searched otherwise. */
export interface CaseExpr {
  kind: "Case";
  operand?: Expr;
  whens: { when: Expr; then: Expr }[];
  else?: Expr;
  span: Span;
}

/** `OVER (PARTITION BY a, b WHEN cond)` on analytic functions;
 * `OVER (PARTITION BY a ORDER BY b DESC)` on the window function `row_number()`. */
export interface OverClause {
  partitionBy: Expr[];
  orderBy?: OrderItem[];
  when?: Expr;
}

/** A function call. `name` is lower-cased; `count(*)` has a Wildcard argument. */
export interface CallExpr {
  kind: "Call";
  name: string;
  args: Expr[];
  /** Aggregate `FILTER (WHERE cond)`. */
  filter?: Expr;
  over?: OverClause;
  span: Span;
}

export type WindowType =
  | "TUMBLING_WINDOW"
  | "HOPPING_WINDOW"
  | "SLIDING_WINDOW"
  | "SESSION_WINDOW"
  | "COUNT_WINDOW"
  | "STATE_WINDOW";

/** A window call in GROUP BY: `TUMBLINGWINDOW(ss, 10) [FILTER (WHERE c)] [OVER (...)]`. */
export interface WindowExpr {
  kind: "Window";
  windowType: WindowType;
  /** The raw arguments, time unit first for time windows. */
  args: Expr[];
  filter?: Expr;
  /** `OVER (WHEN cond)` trigger of sliding windows. */
  trigger?: Expr;
  /** `OVER (PARTITION BY ...)` of state windows. */
  partitionBy?: Expr[];
  span: Span;
}

export type Expr =
  | FieldRef
  | Wildcard
  | IntegerLiteral
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | TimeUnitLiteral
  | BinaryExpr
  | UnaryExpr
  | BetweenExpr
  | InExpr
  | LikeExpr
  | IsNullExpr
  | AccessExpr
  | IndexExpr
  | SliceExpr
  | CaseExpr
  | CallExpr
  | WindowExpr;

// ---------------------------------------------------------------------------------------------
// SELECT
// ---------------------------------------------------------------------------------------------

export interface SelectField {
  expr: Expr;
  alias?: string;
  /** `INVISIBLE`: computed (usable as an alias) but not emitted. */
  invisible?: boolean;
  span: Span;
}

export interface SourceRef {
  name: string;
  alias?: string;
  span: Span;
}

export type JoinType = "INNER" | "LEFT" | "RIGHT" | "FULL" | "CROSS";

export interface JoinClause {
  joinType: JoinType;
  source: SourceRef;
  on?: Expr;
  span: Span;
}

export interface OrderItem {
  expr: Expr;
  descending: boolean;
}

export interface SelectStatement {
  kind: "Select";
  fields: SelectField[];
  from: SourceRef;
  joins: JoinClause[];
  where?: Expr;
  /** Dimensions; at most one of them is a WindowExpr. */
  groupBy?: Expr[];
  having?: Expr;
  orderBy?: OrderItem[];
  limit?: number;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// DDL
// ---------------------------------------------------------------------------------------------

export type SimpleType = "bigint" | "float" | "string" | "datetime" | "boolean" | "bytea";

export type FieldType =
  | { type: SimpleType }
  | { type: "array"; elementType: FieldType }
  | { type: "struct"; fields: StreamField[] };

export interface StreamField {
  name: string;
  type: FieldType;
  /** `DEFAULT <literal>` */
  default?: string | number | boolean;
}

export type StreamKind = "stream" | "table";

/** `CREATE STREAM|TABLE name (fields) WITH (OPTIONS)`. Option keys are upper-cased
 * (`DATASOURCE`, `FORMAT`, ...); values are strings, or booleans for TRUE/FALSE tokens. */
export interface CreateStreamStatement {
  kind: "CreateStream";
  streamKind: StreamKind;
  name: string;
  /** Empty for a schemaless stream `()`. */
  fields: StreamField[];
  options: Record<string, string | boolean>;
  span: Span;
}

export interface ShowStreamsStatement {
  kind: "ShowStreams";
  streamKind: StreamKind;
  span: Span;
}

export interface DescribeStreamStatement {
  kind: "DescribeStream";
  streamKind: StreamKind;
  name: string;
  span: Span;
}

export interface DropStreamStatement {
  kind: "DropStream";
  streamKind: StreamKind;
  name: string;
  span: Span;
}

export interface ExplainStreamStatement {
  kind: "ExplainStream";
  streamKind: StreamKind;
  name: string;
  span: Span;
}

export type StreamStatement =
  | CreateStreamStatement
  | ShowStreamsStatement
  | DescribeStreamStatement
  | DropStreamStatement
  | ExplainStreamStatement;

export type Statement = SelectStatement | StreamStatement;
