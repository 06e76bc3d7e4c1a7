/**
 * The file source's properties (eKuiper's `etc/sources/file.yaml`), checked once with
 * user-facing errors. Durations are milliseconds or Go duration strings ("10s").
 *
 * @module
 */
import { join } from "node:path";
import { parseDuration } from "../../../util/duration.ts";
import { resolveHomePath } from "../../home.ts";
import type { StreamField } from "../../../sql/ast.ts";
import type { SourceProps } from "../../types.ts";
import { boolProp, intProp } from "../../sinks/props.ts";

export type FileType = "json" | "lines" | "csv";
const FILE_TYPES = new Set<string>(["json", "lines", "csv"]);

export interface FileSourceSettings {
  /** The file or folder read: `path` joined with the stream's DATASOURCE. */
  target: string;
  fileType: FileType;
  /** Re-read period, ms; 0 = read once, then end. */
  interval: number;
  /** Pause between two rows, ms. */
  sendInterval: number;
  ignoreStartLines: number;
  ignoreEndLines: number;
  /** 0 keep, 1 delete, 2 move to `moveTo`. */
  actionAfterRead: 0 | 1 | 2;
  moveTo: string | undefined;
  hasHeader: boolean;
  /** Column names of a headerless csv: `columns`, else the stream's declared columns. */
  columns: string[] | undefined;
  delimiter: string;
  decompression: "" | "gzip";
  schema: StreamField[] | undefined;
}

function fail(msg: string): never {
  throw new Error(`file source: ${msg}`);
}

function duration(props: SourceProps, name: string): number {
  const v = props[name];
  if (v === undefined || v === null || v === "") return 0;
  try {
    return parseDuration(v, name);
  } catch (e) {
    return fail((e as Error).message);
  }
}

function columnsOf(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "string") return v.split(",").map((s) => s.trim());
  if (Array.isArray(v) && v.every((c) => typeof c === "string" && c !== "")) return v;
  return fail(`invalid columns ${JSON.stringify(v)}: expected a list of names`);
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    return fail((e as Error).message);
  }
}

export function fileSourceSettings(props: SourceProps): FileSourceSettings {
  const fileType = String(props.fileType ?? "json").toLowerCase();
  if (!FILE_TYPES.has(fileType)) {
    fail(`invalid fileType "${props.fileType}": expected json, lines or csv`);
  }
  const dir = props.path === undefined || props.path === null || props.path === ""
    ? "data"
    : String(props.path);
  const target = resolveHomePath(props.datasource ? join(dir, props.datasource) : dir);
  const actionAfterRead = wrap(() => intProp(props, "actionAfterRead", 0));
  if (actionAfterRead > 2) fail(`invalid actionAfterRead ${actionAfterRead}: expected 0, 1 or 2`);
  let moveTo: string | undefined;
  if (actionAfterRead === 2) {
    if (typeof props.moveTo !== "string" || props.moveTo.trim() === "") {
      fail("moveTo is required when actionAfterRead is 2");
    }
    moveTo = resolveHomePath(props.moveTo);
  }
  const delimiter = props.delimiter === undefined || props.delimiter === ""
    ? ","
    : String(props.delimiter);
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === "\n") {
    fail(`invalid delimiter ${JSON.stringify(delimiter)}: expected one character`);
  }
  const decompression = String(props.decompression ?? "").toLowerCase();
  if (decompression !== "" && decompression !== "gzip") {
    fail(`unsupported decompression "${props.decompression}": expected gzip`);
  }
  const schema = props.schema;
  return {
    target,
    fileType: fileType as FileType,
    interval: duration(props, "interval"),
    sendInterval: duration(props, "sendInterval"),
    ignoreStartLines: wrap(() => intProp(props, "ignoreStartLines", 0)),
    ignoreEndLines: wrap(() => intProp(props, "ignoreEndLines", 0)),
    actionAfterRead: actionAfterRead as 0 | 1 | 2,
    moveTo,
    hasHeader: wrap(() => boolProp(props, "hasHeader", false)),
    columns: columnsOf(props.columns) ?? schema?.map((f) => f.name),
    delimiter,
    decompression: decompression as "" | "gzip",
    schema,
  };
}
