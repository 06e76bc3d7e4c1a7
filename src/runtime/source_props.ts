/**
 * A stream's source properties, resolved as eKuiper does: the `default` confKey of
 * `etc/sources/<type>.yaml`, the stream's CONF_KEY section over it, `EXTRA` over that, then the
 * stream options injected as props (`datasource`, `format`, `key`, ...).
 *
 * The common property `interval` is parsed here once: the result is `intervalMs` in the props.
 * Pull sources use it as their poll period; for push sources it turns on downsampling (a
 * ratelimit step before the decoder), optionally per `mergeField` value (JSON only).
 */
import type { ConfKeys } from "../config/conf_keys.ts";
import { formatName, optionString, sourceType, type StreamDef } from "../catalog/stream_def.ts";
import type { SourceProps } from "../io/types.ts";
import { getSourceSpec } from "../io/mod.ts";
import { BadRequestError, ErrorCode, errorMessage, PlanError } from "../errors.ts";
import { parseDuration } from "../util/duration.ts";

/** Downsampling of a push source: keep the latest message per interval, or with `mergeField`
 * the latest message per value of that top-level field, merged into one. */
export interface Downsample {
  intervalMs: number;
  mergeField?: string;
}

export function resolveSourceProps(def: StreamDef, confKeys: ConfKeys): SourceProps {
  const type = sourceType(def);
  let conf: Record<string, unknown>;
  try {
    conf = confKeys.resolve("sources", type, optionString(def, "CONF_KEY"));
  } catch (e) {
    throw new PlanError((e as Error).message);
  }
  const extra = optionString(def, "EXTRA");
  if (extra) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(extra);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new PlanError(`stream ${def.name}: EXTRA must be a JSON object`);
    }
    Object.assign(conf, parsed);
  }
  const props: SourceProps = {
    ...conf,
    datasource: optionString(def, "DATASOURCE") ?? "",
    format: formatName(def),
  };
  const key = optionString(def, "KEY");
  if (key) props.key = key;
  if (def.fields.length > 0) props.schema = def.fields;
  try {
    checkCommonSourceProps(props);
  } catch (e) {
    throw new PlanError(`stream ${def.name}: ${(e as Error).message}`);
  }
  if (props.interval !== undefined && props.interval !== "") {
    props.intervalMs = parseDuration(props.interval, "interval");
  }
  downsampleOf(def, props); // refuses mergeField where it cannot work, at rule creation
  return props;
}

/** Checks the properties every source understands (`interval`, `mergeField`, `bufferLength`);
 * throws an Error with a user-facing message. Used for streams and for confKeys PUT over REST. */
export function checkCommonSourceProps(props: Record<string, unknown>): void {
  const { interval, mergeField, bufferLength } = props;
  if (interval !== undefined && interval !== "") {
    const ms = parseDuration(interval, "interval");
    if (ms !== 0 && ms < 1) throw new Error(`interval should be larger than 1ms`);
  }
  if (mergeField !== undefined && mergeField !== "") {
    if (typeof mergeField !== "string") throw new Error("mergeField must be a field name");
  }
  if (bufferLength !== undefined) {
    if (typeof bufferLength !== "number" || !Number.isInteger(bufferLength) || bufferLength < 1) {
      throw new Error(
        `bufferLength must be a positive integer, got ${JSON.stringify(bufferLength)}`,
      );
    }
  }
}

/**
 * The downsampling a stream's source needs, or undefined: none for pull sources (there
 * `interval` is the poll period) or without an interval. `mergeField` needs a format that can
 * read one field without decoding the message, which only JSON can.
 */
export function downsampleOf(def: StreamDef, props: SourceProps): Downsample | undefined {
  const spec = getSourceSpec(sourceType(def));
  const mergeField = typeof props.mergeField === "string" && props.mergeField !== ""
    ? props.mergeField
    : undefined;
  const intervalMs = typeof props.intervalMs === "number" ? props.intervalMs : 0;
  if (spec?.pull) return undefined;
  if (intervalMs <= 0) {
    if (mergeField) {
      throw new PlanError(`stream ${def.name}: mergeField "${mergeField}" needs an interval`);
    }
    return undefined;
  }
  if (mergeField) {
    if (spec?.payload === "rows" || props.format !== "json") {
      const what = spec?.payload === "rows" ? `source type ${spec.type}` : `format ${props.format}`;
      throw new PlanError(
        `stream ${def.name}: mergeField is only supported for the JSON format (${what} cannot read one field of a message)`,
      );
    }
  }
  return { intervalMs, mergeField };
}

/** What `POST /streams` checks of a new stream's source: its confKey exists, its properties
 * and DATASOURCE are valid for the connector. Throws a BadRequestError (code 3000). */
export function checkStreamSource(def: StreamDef, confKeys: ConfKeys): void {
  try {
    const props = resolveSourceProps(def, confKeys);
    getSourceSpec(sourceType(def))?.validate?.(props);
  } catch (e) {
    const msg = errorMessage(e);
    const prefix = `stream ${def.name}: `;
    throw new BadRequestError(msg.startsWith(prefix) ? msg : prefix + msg, ErrorCode.stream);
  }
}
