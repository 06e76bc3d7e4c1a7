/**
 * The catalog of streams and tables, persisted in the store (namespace `stream`, one namespace
 * for both kinds so that a name is unique across them, as in eKuiper). Statements arrive as SQL
 * text through `POST /streams|/tables` and are validated before anything is stored.
 */
import { parseStreamStatement } from "../../grammar/mod.ts";
import type { StreamKind, StreamStatement } from "../sql/ast.ts";
import { BadRequestError, ErrorCode, NotFoundError } from "../errors.ts";
import type { KvStore } from "../store/kv_store.ts";
import { getSourceSpec } from "../io/mod.ts";
import {
  checkStreamFormat,
  describeJson,
  formatName,
  optionBool,
  optionString,
  sourceType,
  type StreamDef,
  streamDefOf,
  withSchemaFields,
} from "./stream_def.ts";

const NS = "stream";
const ID = /^[a-zA-Z0-9_\-]+$/;

const title = (k: StreamKind) => (k === "stream" ? "Stream" : "Table");

export interface StatementResult {
  status: number;
  body: string | unknown;
}

export class Catalog {
  /** Returns the ids of rules that use a stream; set by the rule manager. */
  referencedBy: (name: string) => string[] = () => [];

  /** Checks a new stream's source properties (confKeys live outside the catalog; set by the
   * app). Throws a BadRequestError naming the bad property. */
  checkSource: (def: StreamDef) => void = () => {};

  constructor(private readonly store: KvStore) {}

  /** Streams with SCHEMAID and no declared columns come with the columns of their schema. */
  get(name: string): StreamDef | undefined {
    const def = this.store.get<StreamDef>(NS, name);
    return def && withSchemaFields(def);
  }

  list(kind: StreamKind): StreamDef[] {
    return this.store.entries<StreamDef>(NS).map(([, d]) => d).filter((d) => d.kind === kind)
      .map(withSchemaFields);
  }

  /** Runs any stream statement posted to `/streams` or `/tables`. */
  execute(sql: string): StatementResult {
    const stmt = parse(sql);
    switch (stmt.kind) {
      case "CreateStream":
        return { status: 201, body: this.create(sql, stmt.streamKind) };
      case "ShowStreams": {
        const names = this.list(stmt.streamKind).map((d) => d.name);
        const none = `No ${stmt.streamKind} definitions are found.`;
        return { status: 201, body: names.length ? names.join("\n") : none };
      }
      case "DescribeStream":
        return { status: 201, body: describeJson(this.mustGet(stmt.name, stmt.streamKind)) };
      case "DropStream":
        return { status: 201, body: this.drop(stmt.name, stmt.streamKind) };
      case "ExplainStream":
        // eKuiper answers "TO BE SUPPORTED"; Weir says how the stream is read and by whom.
        return { status: 201, body: this.explain(this.mustGet(stmt.name, stmt.streamKind)) };
    }
    throw new BadRequestError("unsupported statement");
  }

  /** EXPLAIN STREAM|TABLE: the source node a rule would read, in EXPLAIN's layout. */
  private explain(def: StreamDef): string {
    const parts = [
      `StreamName: ${def.name}`,
      `Kind: ${def.kind}`,
      `Type: ${sourceType(def)}`,
      `DataSource: ${optionString(def, "DATASOURCE") ?? ""}`,
      `Format: ${formatName(def)}`,
      `Shared: ${optionBool(def, "SHARED")}`,
    ];
    if (def.fields.length > 0) {
      parts.push(`StreamFields:[ ${def.fields.map((f) => f.name).join(", ")} ]`);
    }
    const ts = optionString(def, "TIMESTAMP");
    if (ts) parts.push(`Timestamp: ${ts}`);
    parts.push(`Rules:[ ${this.referencedBy(def.name).join(", ")} ]`);
    return JSON.stringify({ op: "DataSourcePlan_0", info: parts.join(", ") });
  }

  create(sql: string, kind: StreamKind): string {
    const def = this.validate(sql, kind);
    if (!this.store.setNew(NS, def.name, def)) {
      throw new BadRequestError(
        `${title(def.kind)} ${def.name} already exists`,
        ErrorCode.stream,
      );
    }
    return `${title(def.kind)} ${def.name} is created.`;
  }

  replace(name: string, sql: string, kind: StreamKind): string {
    const old = this.mustGet(name, kind);
    const def = this.validate(sql, kind);
    if (def.name !== name) {
      throw new BadRequestError(
        `${title(kind)} name ${def.name} does not match the path name ${name}`,
        ErrorCode.stream,
      );
    }
    if (String(old.options.SHARED ?? false) !== String(def.options.SHARED ?? false)) {
      throw new BadRequestError(`cannot change the SHARED option of ${name}`, ErrorCode.stream);
    }
    this.store.set(NS, name, def);
    return `${title(kind)} ${name} is replaced.`;
  }

  drop(name: string, kind: StreamKind, force = false): string {
    this.mustGet(name, kind);
    const users = this.referencedBy(name);
    if (users.length > 0 && !force) {
      throw new BadRequestError(
        `${kind} ${name} has been referenced by other rules: ${users.join(", ")}`,
        ErrorCode.stream,
      );
    }
    this.store.delete(NS, name);
    return `${title(kind)} ${name} is dropped.`;
  }

  mustGet(name: string, kind?: StreamKind): StreamDef {
    const def = this.get(name);
    if (!def || (kind && def.kind !== kind)) {
      throw new NotFoundError(`${kind ?? "stream"} ${name} is not found`);
    }
    return def;
  }

  private validate(sql: string, kind: StreamKind): StreamDef {
    const stmt = parse(sql);
    if (stmt.kind !== "CreateStream") {
      throw new BadRequestError(`expected a CREATE ${kind.toUpperCase()} statement`);
    }
    if (stmt.streamKind !== kind) {
      throw new BadRequestError(
        `expected CREATE ${kind.toUpperCase()} but got CREATE ${stmt.streamKind.toUpperCase()}`,
        ErrorCode.stream,
      );
    }
    if (!ID.test(stmt.name)) {
      throw new BadRequestError(
        `id '${stmt.name}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed`,
      );
    }
    const def = streamDefOf(stmt, sql.trim());
    const type = sourceType(def);
    if (!getSourceSpec(type)) {
      throw new BadRequestError(`unknown source type ${type}`, ErrorCode.stream);
    }
    try {
      checkStreamFormat(def);
    } catch (e) {
      throw new BadRequestError((e as Error).message, ErrorCode.stream);
    }
    this.checkSource(def);
    return def;
  }
}

function parse(sql: string): StreamStatement {
  // Syntax errors propagate as SqlSyntaxError (HTTP 400, code 2001) with line and column.
  return parseStreamStatement(sql);
}
