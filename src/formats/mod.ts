/** The payload formats Weir knows, by lower-case name. */
import type { Format } from "./types.ts";
import { jsonFormat } from "./json.ts";

export type { DecodeOptions, Format } from "./types.ts";

const formats: Record<string, Format> = {
  json: jsonFormat,
};

export function getFormat(name: string): Format | undefined {
  return formats[name.toLowerCase()];
}

export function formatNames(): string[] {
  return Object.keys(formats);
}
