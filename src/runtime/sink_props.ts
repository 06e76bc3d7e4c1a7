/**
 * The properties every sink action understands (eKuiper's common sink properties), parsed and
 * checked once. Rule creation calls {@link validateSinkProps} so that a bad `dataTemplate` or a
 * negative `batchSize` is a 400 at creation, not a failure at start.
 *
 * Defaults follow eKuiper: `bufferLength` 1024 (the rule option), `memoryCacheThreshold` 1024,
 * `maxDiskCache` 1024000, `bufferPageSize` 256, `resendInterval` 0 ms.
 *
 * @module
 */
import { compileTemplate, isTemplated, type Template } from "../io/template/mod.ts";
import { parseDuration } from "../util/duration.ts";
import { boolProp, intProp } from "../io/sinks/props.ts";

export interface CacheProps {
  memoryCacheThreshold: number;
  maxDiskCache: number;
  bufferPageSize: number;
  /** Pause between two resent results, ms. */
  resendInterval: number;
  cleanCacheAtStop: boolean;
}

export interface SinkCommonProps {
  sendSingle: boolean;
  dataTemplate: Template | undefined;
  fields: string[] | undefined;
  dataField: string | undefined;
  omitIfEmpty: boolean;
  /** Undefined: the rule's `bufferLength` option. */
  bufferLength: number | undefined;
  batchSize: number;
  /** ms; 0 = no linger timer. */
  lingerInterval: number;
  cache: CacheProps | undefined;
  /** Dynamic properties (any string prop holding `{{...}}`, and templated header values),
   * rendered per result against the result before `dataTemplate`. Key: prop name, or
   * `headers.<name>` for a templated header. */
  dynamic: Map<string, Template>;
}

/** Props that are never dynamic: they are templates or structure of their own. */
const NOT_DYNAMIC = new Set(["dataTemplate"]);
/** Object props whose string values may be templates (rest headers). */
const DYNAMIC_OBJECTS = new Set(["headers"]);

/** A duration in ms: a number of ms or a duration string ("500ms", "2s"). */
function millis(props: Record<string, unknown>, name: string): number {
  const v = props[name];
  if (v === undefined || v === null || v === "") return 0;
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v < 0) throw new Error(`invalid ${name} ${v}: expected ms >= 0`);
    return v;
  }
  if (typeof v === "string") {
    if (/^[0-9]+$/.test(v)) return Number(v);
    try {
      return parseDuration(v);
    } catch (e) {
      throw new Error(`invalid ${name} ${JSON.stringify(v)}: ${(e as Error).message}`);
    }
  }
  throw new Error(`invalid ${name} ${JSON.stringify(v)}: expected ms or a duration`);
}

function template(name: string, source: string): Template {
  try {
    return compileTemplate(source);
  } catch (e) {
    throw new Error(`invalid ${name} template: ${(e as Error).message}`);
  }
}

/** Parses the common sink props; throws an Error with a user-facing message. */
export function parseSinkProps(props: Record<string, unknown>): SinkCommonProps {
  const dt = props.dataTemplate;
  if (dt !== undefined && dt !== null && typeof dt !== "string") {
    throw new Error("invalid dataTemplate: expected a string");
  }
  let fields: string[] | undefined;
  if (props.fields !== undefined && props.fields !== null) {
    if (!Array.isArray(props.fields) || props.fields.some((f) => typeof f !== "string")) {
      throw new Error("invalid fields: expected an array of field names");
    }
    fields = props.fields.length > 0 ? props.fields as string[] : undefined;
  }
  const dataField = props.dataField ?? props.tableDataField;
  if (dataField !== undefined && dataField !== null && typeof dataField !== "string") {
    throw new Error("invalid dataField: expected a string");
  }
  const enableCache = boolProp(props, "enableCache", false);
  const cache: CacheProps | undefined = enableCache
    ? {
      memoryCacheThreshold: intProp(props, "memoryCacheThreshold", 1024, 0),
      maxDiskCache: intProp(props, "maxDiskCache", 1024000, 0),
      bufferPageSize: intProp(props, "bufferPageSize", 256, 1),
      resendInterval: millis(props, "resendInterval"),
      cleanCacheAtStop: boolProp(props, "cleanCacheAtStop", false),
    }
    : undefined;
  if (props.resendAlterQueue === true || props.resendAlterQueue === "true") {
    throw new Error("resendAlterQueue is not supported: cached results are resent in order");
  }
  const dynamic = new Map<string, Template>();
  for (const [k, v] of Object.entries(props)) {
    if (NOT_DYNAMIC.has(k)) continue;
    if (isTemplated(v)) dynamic.set(k, template(k, v));
    else if (DYNAMIC_OBJECTS.has(k) && v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [hk, hv] of Object.entries(v)) {
        if (isTemplated(hv)) dynamic.set(`${k}.${hk}`, template(`${k}.${hk}`, hv));
      }
    }
  }
  return {
    sendSingle: boolProp(props, "sendSingle", false),
    dataTemplate: typeof dt === "string" && dt !== "" ? template("dataTemplate", dt) : undefined,
    fields,
    dataField: typeof dataField === "string" && dataField !== "" ? dataField : undefined,
    omitIfEmpty: boolProp(props, "omitIfEmpty", false),
    bufferLength: props.bufferLength === undefined || props.bufferLength === null ||
        props.bufferLength === ""
      ? undefined
      : intProp(props, "bufferLength", 1024, 1),
    batchSize: intProp(props, "batchSize", 0, 0),
    lingerInterval: millis(props, "lingerInterval"),
    cache,
    dynamic,
  };
}

/** Rule-creation check of the common props (templates compile, numbers are numbers). */
export function validateSinkProps(props: Record<string, unknown>): void {
  parseSinkProps(props);
}
