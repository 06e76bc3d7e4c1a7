/**
 * confKeys: `etc/sources/<type>.yaml` and `etc/sinks/<type>.yaml` hold a `default:` section and
 * named sections. A stream's `CONF_KEY="name"` merges the named section over `default`; a sink's
 * `resourceId` puts the action's own props over the named section, as in eKuiper (names
 * matched case-insensitively, lower case first).
 *
 * Keys created over REST (`PUT /metadata/{sources|sinks}/{type}/confKeys/{key}`) are kept in
 * the KV store (namespace `confKVStorage`, key `sources.<type>.<key>`), the way eKuiper v2 does:
 * the YAML files under `etc/` stay as the operator wrote them (comments included, and `etc/` may
 * be read-only on a device), and a stored key overrides the file's key of the same name.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { ConfigError } from "../errors.ts";
import type { KvStore } from "../store/kv_store.ts";

export type ConfSection = Record<string, unknown>;
export type ConfKind = "sources" | "sinks";

/** The KV namespace of REST-managed confKeys (eKuiper's table name). */
const KV_NS = "confKVStorage";

/** What GET responses show instead of a secret's value. */
export const MASK = "******";

/** Property names whose values are never returned over REST. */
const SECRET = /password|token|secret|privatekeyraw|apikey|authorization/i;

/** Built-in `default` sections, under whatever `etc/` holds, so that a lone binary with no
 * `etc/` folder still connects to the local broker like eKuiper's shipped defaults do. */
const BUILTIN_DEFAULTS: Record<string, ConfSection> = {
  "sources/mqtt": { server: "tcp://127.0.0.1:1883", qos: 1, protocolVersion: "3.1.1" },
  "sources/httppush": { method: "POST" },
  "sources/memory": {},
};

function isSection(v: unknown): v is ConfSection {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A copy of `section` with secret values replaced by {@link MASK}, at any depth. */
export function maskSecrets(section: ConfSection): ConfSection {
  const out: ConfSection = {};
  for (const [k, v] of Object.entries(section)) {
    if (SECRET.test(k) && v !== undefined && v !== null && v !== "") out[k] = MASK;
    else out[k] = isSection(v) ? maskSecrets(v) : v;
  }
  return out;
}

interface ParsedFile {
  /** mtime, size and inode when parsed: an edit, or a file replaced by another, changes it. */
  stamp: string;
  sections: Record<string, ConfSection>;
}

function parseSections(path: string): Record<string, ConfSection> {
  let y: unknown;
  try {
    y = YAML.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError(`cannot parse ${path}: ${(e as Error).message}`);
  }
  const out: Record<string, ConfSection> = {};
  if (!isSection(y)) return out;
  for (const [k, v] of Object.entries(y)) out[k] = isSection(v) ? v : {};
  return out;
}

/** A deep copy of parsed YAML (objects, arrays and scalars): several times cheaper than
 * `structuredClone`, which goes through the runtime's message serializer. */
function copyYaml(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) return v.map(copyYaml);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const value = copyYaml((v as Record<string, unknown>)[k]);
    // A `__proto__` key stays a key, as the parser made it, not the copy's prototype (Deno has
    // no `__proto__` setter; Bun has).
    if (k === "__proto__") {
      Object.defineProperty(out, k, { value, enumerable: true, writable: true });
    } else out[k] = value;
  }
  return out;
}

export class ConfKeys {
  constructor(private readonly etcDir: string, private readonly store?: KvStore) {}

  /** Each file's sections as last parsed, with the file's identity then. */
  readonly #files = new Map<string, ParsedFile>();

  /** The sections of `etc/<kind>/<type>.yaml` only (an empty object when the file is absent).
   * The file is parsed again only when it changed: every rule's creation resolves its source's
   * and sinks' confKeys, and parsing the YAML was a quarter of that (bench/RESULTS.md, session
   * 17). Each call gets its own copy, which callers may change. */
  fileSections(kind: ConfKind, type: string): Record<string, ConfSection> {
    const path = join(this.etcDir, kind, `${type}.yaml`);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) {
      this.#files.delete(path);
      return {};
    }
    const stamp = `${st.mtimeMs}/${st.size}/${st.ino}`;
    let file = this.#files.get(path);
    if (file?.stamp !== stamp) {
      file = { stamp, sections: parseSections(path) };
      this.#files.set(path, file);
    }
    return copyYaml(file.sections) as Record<string, ConfSection>;
  }

  /** The sections stored over REST for `kind/type`. */
  storedSections(kind: ConfKind, type: string): Record<string, ConfSection> {
    const out: Record<string, ConfSection> = {};
    if (!this.store) return out;
    const prefix = `${kind}.${type}.`;
    for (const [k, v] of this.store.entries<ConfSection>(KV_NS)) {
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    }
    return out;
  }

  /** All sections: the file's, then stored keys over them (a stored key replaces the file's). */
  sections(kind: ConfKind, type: string): Record<string, ConfSection> {
    return { ...this.fileSections(kind, type), ...this.storedSections(kind, type) };
  }

  /** The named section, looked up lower case first, then as written. */
  section(kind: ConfKind, type: string, key: string): ConfSection | undefined {
    const all = this.sections(kind, type);
    return all[key.toLowerCase()] ?? all[key];
  }

  /** Source props: `default` merged with the named key (error when the key does not exist). */
  resolve(kind: ConfKind, type: string, key: string | undefined): ConfSection {
    const all = this.sections(kind, type);
    const base = { ...BUILTIN_DEFAULTS[`${kind}/${type}`], ...(all.default ?? {}) };
    if (!key || key.toLowerCase() === "default") return base;
    const named = all[key.toLowerCase()] ?? all[key];
    if (!named) throw new ConfigError(`conf key ${key} not found for ${kind.slice(0, -1)} ${type}`);
    return { ...base, ...named };
  }

  /** A sink action's props: with `resourceId`, the named section of `etc/sinks/<type>.yaml`
   * (or a stored sink confKey) under the action's own props, as eKuiper's GetSinkConf. */
  resolveSink(type: string, props: Record<string, unknown>): Record<string, unknown> {
    const id = props.resourceId;
    if (id === undefined || id === null || id === "") return props;
    if (typeof id !== "string") throw new ConfigError(`sink ${type}: resourceId must be a string`);
    const named = this.section("sinks", type, id);
    if (!named) throw new ConfigError(`resourceId ${id} not found for sink ${type}`);
    const { resourceId: _, ...own } = props;
    return { ...named, ...own };
  }

  /** Stores (creates or replaces) a confKey. A value equal to {@link MASK} keeps the secret
   * already stored under that name, so a client can send back what it was shown. */
  put(kind: ConfKind, type: string, key: string, section: ConfSection): void {
    if (!this.store) throw new ConfigError("confKeys cannot be stored: no store configured");
    const old = this.section(kind, type, key) ?? {};
    const merged: ConfSection = {};
    for (const [k, v] of Object.entries(section)) {
      merged[k] = v === MASK && old[k] !== undefined ? old[k] : v;
    }
    this.store.set(KV_NS, `${kind}.${type}.${key}`, merged);
  }

  /** Deletes a stored confKey: true when one was stored, false when it does not exist.
   * A key written in the YAML file cannot be deleted over REST (it is the operator's file). */
  delete(kind: ConfKind, type: string, key: string): boolean {
    const removed = this.store?.delete(KV_NS, `${kind}.${type}.${key}`) ?? false;
    if (removed) return true;
    const inFile = this.fileSections(kind, type);
    if (inFile[key] !== undefined) {
      throw new ConfigError(
        `conf key ${key} is defined in etc/${kind}/${type}.yaml and can only be changed there`,
      );
    }
    return false;
  }
}
