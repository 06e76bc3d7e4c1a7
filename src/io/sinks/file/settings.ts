/**
 * The file sink's properties (eKuiper's names), checked once with user-facing errors.
 *
 * @module
 */
import { resolveHomePath } from "../../home.ts";
import { boolProp, intProp, requiredString } from "../props.ts";

export type SinkFileType = "lines" | "json" | "csv";
export type RollingNamePattern = "" | "none" | "prefix" | "suffix";

export interface FileSinkSettings {
  path: string;
  fileType: SinkFileType;
  hasHeader: boolean;
  delimiter: string;
  /** Header columns of a csv file (`fields`), else the first row's keys, sorted. */
  fields: string[] | undefined;
  /** Roll after this many messages; 0 = never. */
  rollingCount: number;
  /** Roll files older than this, ms, checked every `checkInterval`; 0 = never. */
  rollingInterval: number;
  checkInterval: number;
  /** Roll once a file holds this many bytes (before compression); 0 = never. */
  rollingSize: number;
  rollingNamePattern: RollingNamePattern;
  compression: "" | "gzip";
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Error(`file sink: ${(e as Error).message}`);
  }
}

export function fileSinkSettings(props: Record<string, unknown>): FileSinkSettings {
  const path = wrap(() => requiredString(props, "path", "file"));
  const fileType = String(props.fileType || "lines").toLowerCase();
  if (fileType !== "lines" && fileType !== "json" && fileType !== "csv") {
    throw new Error(`file sink: invalid fileType "${props.fileType}": expected lines, json or csv`);
  }
  const format = String(props.format || "").toLowerCase();
  if (fileType === "csv" && format !== "" && format !== "delimited") {
    throw new Error(`file sink: format must be delimited when fileType is csv`);
  }
  const delimiter = props.delimiter === undefined || props.delimiter === ""
    ? ","
    : String(props.delimiter);
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === "\n") {
    throw new Error(`file sink: invalid delimiter ${JSON.stringify(delimiter)}: one character`);
  }
  const rollingCount = wrap(() => intProp(props, "rollingCount", 1_000_000));
  const rollingInterval = wrap(() => intProp(props, "rollingInterval", 0));
  const rollingSize = wrap(() => intProp(props, "rollingSize", 0));
  if (rollingCount === 0 && rollingInterval === 0 && rollingSize === 0) {
    throw new Error("file sink: one of rollingInterval, rollingCount and rollingSize must be set");
  }
  const pattern = String(props.rollingNamePattern ?? "").toLowerCase();
  if (pattern !== "" && pattern !== "none" && pattern !== "prefix" && pattern !== "suffix") {
    throw new Error(
      `file sink: invalid rollingNamePattern "${props.rollingNamePattern}": expected prefix, suffix or none`,
    );
  }
  // eKuiper v2 calls it `compression`, 1.x `compressAlgorithm`.
  const compression = String(props.compression || props.compressAlgorithm || "").toLowerCase();
  if (compression !== "" && compression !== "gzip") {
    throw new Error(`file sink: unsupported compression "${compression}": expected gzip`);
  }
  let fields: string[] | undefined;
  if (Array.isArray(props.fields) && props.fields.length > 0) fields = props.fields.map(String);
  return {
    path: resolveHomePath(path),
    fileType,
    hasHeader: wrap(() => boolProp(props, "hasHeader", false)),
    delimiter,
    fields,
    rollingCount,
    rollingInterval,
    checkInterval: wrap(() => intProp(props, "checkInterval", 300_000, 1)),
    rollingSize,
    rollingNamePattern: pattern as RollingNamePattern,
    compression: compression as "" | "gzip",
  };
}
