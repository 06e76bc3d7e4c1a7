/**
 * A stream's source properties, resolved as eKuiper does: the `default` confKey of
 * `etc/sources/<type>.yaml`, the stream's CONF_KEY section over it, then the stream options
 * injected as props (`datasource`, `format`, `key`, …).
 */
import type { ConfKeys } from "../config/conf_keys.ts";
import { formatName, optionString, sourceType, type StreamDef } from "../catalog/stream_def.ts";
import type { SourceProps } from "../io/types.ts";
import { PlanError } from "../errors.ts";

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
    try {
      Object.assign(conf, JSON.parse(extra));
    } catch {
      throw new PlanError(`stream ${def.name}: EXTRA must be a JSON object`);
    }
  }
  const props: SourceProps = {
    ...conf,
    datasource: optionString(def, "DATASOURCE") ?? "",
    format: formatName(def),
  };
  const key = optionString(def, "KEY");
  if (key) props.key = key;
  return props;
}
