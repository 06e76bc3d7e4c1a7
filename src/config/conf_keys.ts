/**
 * confKeys: `etc/sources/<type>.yaml` and `etc/sinks/<type>.yaml` hold a `default:` section and
 * named sections. A stream's `CONF_KEY="name"` merges the named section over `default`, as in
 * eKuiper (names matched case-insensitively, lower case first).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { ConfigError } from "../errors.ts";

export type ConfSection = Record<string, unknown>;

/** Built-in `default` sections, under whatever `etc/` holds, so that a lone binary with no
 * `etc/` folder still connects to the local broker like eKuiper's shipped defaults do. */
const BUILTIN_DEFAULTS: Record<string, ConfSection> = {
  "sources/mqtt": { server: "tcp://127.0.0.1:1883", qos: 1, protocolVersion: "3.1.1" },
  "sources/httppush": { method: "POST" },
  "sources/memory": {},
};

export class ConfKeys {
  constructor(private readonly etcDir: string) {}

  /** All sections of `etc/<kind>/<type>.yaml` (an empty object when the file is absent). */
  sections(kind: "sources" | "sinks", type: string): Record<string, ConfSection> {
    const path = join(this.etcDir, kind, `${type}.yaml`);
    if (!existsSync(path)) return {};
    try {
      const y = YAML.parse(readFileSync(path, "utf8"));
      return (y && typeof y === "object") ? y as Record<string, ConfSection> : {};
    } catch (e) {
      throw new ConfigError(`cannot parse ${path}: ${(e as Error).message}`);
    }
  }

  /** `default` merged with the named key (error when a named key does not exist). */
  resolve(kind: "sources" | "sinks", type: string, key: string | undefined): ConfSection {
    const all = this.sections(kind, type);
    const base = { ...BUILTIN_DEFAULTS[`${kind}/${type}`], ...(all.default ?? {}) };
    if (!key || key.toLowerCase() === "default") return base;
    const named = all[key.toLowerCase()] ?? all[key];
    if (!named) throw new ConfigError(`conf key ${key} not found for ${kind.slice(0, -1)} ${type}`);
    return { ...base, ...named };
  }
}
