/**
 * Stream and table statements (SPEC §3.1):
 *
 *     CREATE STREAM|TABLE name ( [field type [DEFAULT literal], ...] [,] ) WITH ( KEY = value, ... )
 *     SHOW STREAMS|TABLES
 *     DESCRIBE|DROP|EXPLAIN STREAM|TABLE name
 *
 * @module
 */

import P from "parsimmon";
import type {
  CreateStreamStatement,
  FieldType,
  SimpleType,
  Span,
  StreamField,
  StreamKind,
  StreamStatement,
} from "../src/sql/ast.ts";
import { abort } from "./errors.ts";
import { nested } from "./nesting.ts";
import { booleanLiteral } from "./expr.ts";
import {
  commaList,
  cover,
  keyword,
  name,
  numberLiteral,
  oneOfKeywords,
  opt,
  parens,
  prune,
  stringLiteral,
  sym,
  token,
} from "./lexeme.ts";

/** The WITH option keys eKuiper accepts, in the order of its error message (SPEC §3.2). */
export const STREAM_OPTION_KEYS = [
  "DATASOURCE",
  "FORMAT",
  "KEY",
  "CONF_KEY",
  "SHARED",
  "STRICT_VALIDATION",
  "TYPE",
  "TIMESTAMP",
  "TIMESTAMP_FORMAT",
  "RETAIN_SIZE",
  "SCHEMAID",
  "EXTRA",
  "VERSION",
  "TEMP",
  "KIND",
  "DELIMITER",
] as const;

const SIMPLE_TYPES = ["BIGINT", "FLOAT", "STRING", "DATETIME", "BOOLEAN", "BYTEA"] as const;

const streamKind: P.Parser<{ kind: StreamKind; span: Span }> = P.alt(
  keyword("STREAM").map((span) => ({ kind: "stream" as const, span })),
  keyword("TABLE").map((span) => ({ kind: "table" as const, span })),
);

// ---------------------------------------------------------------------------------------------
// Fields and types
// ---------------------------------------------------------------------------------------------

/** `BIGINT | ... | ARRAY(type) | STRUCT(field type, ...)`, case-insensitive. */
const fieldType: P.Parser<FieldType> = nested(
  "types",
  P.lazy(() =>
    P.alt<FieldType>(
      oneOfKeywords(SIMPLE_TYPES).map((t) => ({ type: t.word.toLowerCase() as SimpleType })),
      keyword("ARRAY").then(parens(fieldType)).map((p) => ({
        type: "array",
        elementType: p.value,
      })),
      keyword("STRUCT").then(parens(fieldList(false))).map((p) => ({
        type: "struct",
        fields: p.value,
      })),
    )
  ),
);

/** `DEFAULT literal`: a string, number or TRUE/FALSE. */
const defaultValue = keyword("DEFAULT").then(P.alt(stringLiteral, numberLiteral, booleanLiteral));

/** `name type [DEFAULT literal]`. The default must suit the type (BIGINT, FLOAT, STRING or
 * BOOLEAN only). */
const streamField: P.Parser<StreamField> = P.seqMap(
  name,
  fieldType,
  opt(defaultValue),
  (n, type, dflt): StreamField => {
    if (dflt) checkDefault(n.name, type, dflt);
    return prune({ name: n.name, type, default: dflt?.value });
  },
);

const DEFAULT_KINDS: Record<string, string[]> = {
  bigint: ["IntegerLiteral"],
  float: ["IntegerLiteral", "NumberLiteral"],
  string: ["StringLiteral"],
  boolean: ["BooleanLiteral"],
};

function checkDefault(field: string, type: FieldType, dflt: { kind: string; span: Span }): void {
  const allowed = DEFAULT_KINDS[type.type];
  if (!allowed) {
    abort(dflt.span.start, `DEFAULT is only allowed for BIGINT, FLOAT, STRING and BOOLEAN fields`);
  }
  if (!allowed.includes(dflt.kind)) {
    abort(
      dflt.span.start,
      `DEFAULT of field ${field} must be a ${type.type.toUpperCase()} literal`,
    );
  }
}

/** `field, field, ...` with an optional trailing comma; possibly empty (`()` = schemaless). */
function fieldList(allowEmpty: boolean): P.Parser<StreamField[]> {
  const fields = commaList(streamField).skip(opt(sym(",")));
  return allowEmpty ? opt(fields).map((f) => f ?? []) : fields;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const optionValue: P.Parser<{ value: string | boolean; span: Span }> = P.alt(
  stringLiteral,
  booleanLiteral,
);

/** Options whose value is TRUE or FALSE (a token, or a string in any case as eKuiper writes). */
const BOOLEAN_OPTIONS = new Set(["SHARED", "STRICT_VALIDATION", "TEMP"]);

function isJsonObject(text: string): boolean {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Checks an option's value the way eKuiper's parser does (plus: TRUE/FALSE tokens only for
 * the boolean options). */
function checkOptionValue(key: string, value: string | boolean, at: number): void {
  if (BOOLEAN_OPTIONS.has(key)) {
    if (typeof value === "string" && !/^(true|false)$/i.test(value)) {
      abort(at, `${key} must be TRUE or FALSE, found "${value}"`);
    }
  } else if (typeof value === "boolean") {
    abort(at, `${key} takes a string value, found ${value ? "TRUE" : "FALSE"}`);
  } else if (key === "RETAIN_SIZE" && !/^\d+$/.test(value)) {
    abort(at, `RETAIN_SIZE must be a non-negative integer, found "${value}"`);
  } else if (key === "EXTRA" && !isJsonObject(value)) {
    abort(at, "invalid extra option, expect JSON string");
  }
}

/** `KEY = "value"` / `KEY = TRUE`; keys are case-insensitive and upper-cased. */
/** One option: its upper-cased key, its value and where the value starts (for messages). */
interface Option {
  key: string;
  value: string | boolean;
  at: number;
}

const option: P.Parser<Option> = P.seqMap(
  token(/[A-Za-z_][A-Za-z0-9_]*/, "option name"),
  sym("="),
  optionValue,
  (k, _eq, v) => {
    const upper = k.text.toUpperCase();
    if (!(STREAM_OPTION_KEYS as readonly string[]).includes(upper)) {
      const keys = STREAM_OPTION_KEYS.join("|");
      abort(k.span.start, `found "${k.text}", unknown option keys(${keys}).`, [
        ...STREAM_OPTION_KEYS,
      ]);
    }
    checkOptionValue(upper, v.value, v.span.start);
    return { key: upper, value: v.value, at: v.span.start };
  },
);

/** `WITH (KEY = value, ...)`. Like eKuiper, the list may be empty, the commas between options
 * may be left out and a trailing comma is fine. */
const withOptions: P.Parser<{ value: Option[]; span: Span }> = keyword("WITH").then(
  parens(opt(P.sepBy1(option, opt(sym(","))).skip(opt(sym(",")))).map((o) => o ?? [])),
);

/** The checks eKuiper's parser makes on a whole CREATE statement: a memory lookup table needs
 * a KEY; the binary format carries one BYTEA field and no tables. */
function checkStatement(kind: StreamKind, fields: StreamField[], options: Option[], at: number) {
  const byKey = new Map(options.map((o) => [o.key, o]));
  const lower = (k: string) => String(byKey.get(k)?.value ?? "").toLowerCase();
  if (lower("KIND") === "lookup" && lower("TYPE") === "memory" && !byKey.get("KEY")?.value) {
    abort(at, 'Option "key" is required for memory lookup table.');
  }
  const format = byKey.get("FORMAT");
  if (lower("FORMAT") === "binary") {
    if (kind === "table") abort(format!.at, "'binary' format is not supported for table");
    if (fields.length > 1) abort(format!.at, "'binary' format stream can have only one field");
    if (fields.length === 1 && fields[0].type.type !== "bytea") {
      abort(format!.at, "'binary' format stream can have only 'bytea' type field");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

const createStream: P.Parser<CreateStreamStatement> = P.seqMap(
  keyword("CREATE"),
  streamKind,
  name,
  parens(fieldList(true)),
  withOptions,
  (create, kind, n, fields, options): CreateStreamStatement => {
    checkStatement(kind.kind, fields.value, options.value, options.span.start);
    return {
      kind: "CreateStream",
      streamKind: kind.kind,
      name: n.name,
      fields: fields.value,
      options: Object.fromEntries(options.value.map((o) => [o.key, o.value])),
      span: cover(create, options),
    };
  },
);

const showStreams: P.Parser<StreamStatement> = P.seqMap(
  keyword("SHOW"),
  P.alt(
    keyword("STREAMS").map((span) => ({ kind: "stream" as const, span })),
    keyword("TABLES").map((span) => ({ kind: "table" as const, span })),
  ),
  (show, what) => ({ kind: "ShowStreams", streamKind: what.kind, span: cover(show, what) }),
);

/** `VERB STREAM|TABLE name`, the shape of DESCRIBE, DROP and EXPLAIN. */
function verbStreamName(verb: string) {
  return P.seqMap(keyword(verb), streamKind, name, (start, sk, n) => ({
    streamKind: sk.kind,
    name: n.name,
    span: cover(start, n),
  }));
}

export const streamStatement: P.Parser<StreamStatement> = P.alt<StreamStatement>(
  createStream,
  showStreams,
  verbStreamName("DESCRIBE").map((s) => ({ kind: "DescribeStream", ...s })),
  verbStreamName("DROP").map((s) => ({ kind: "DropStream", ...s })),
  verbStreamName("EXPLAIN").map((s) => ({ kind: "ExplainStream", ...s })),
);
