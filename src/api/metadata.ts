/**
 * `/metadata/sources` and `/metadata/sinks`: the connector list and their confKeys, eKuiper's
 * routes. confKeys written here are kept in the KV store and survive restarts (see
 * `config/conf_keys.ts`); secrets are masked in every response.
 *
 * - `GET /metadata/{sources|sinks}`: `[{"name","about","type"}]`, sorted by name
 * - `GET /metadata/{sources|sinks}/yaml/{type}`: all confKeys `{"default":{...},"name":{...}}`
 * - `GET|PUT|DELETE /metadata/{sources|sinks}/{type}/confKeys/{key}`: one confKey
 */
import type { Hono } from "hono";
import {
  type ConfKeys,
  type ConfKind,
  type ConfSection,
  maskSecrets,
} from "../config/conf_keys.ts";
import { getSinkSpec, getSourceSpec, sinkSpecs, sourceSpecs } from "../io/mod.ts";
import { checkMqttProps } from "../io/connections/mqtt_config.ts";
import { checkCommonSourceProps } from "../runtime/source_props.ts";
import { ConfigError, errorMessage, NotFoundError } from "../errors.ts";
import { readJsonBody } from "./body.ts";
import { json, text } from "./errors.ts";

const ID = /^[a-zA-Z0-9_\-]+$/;

/** Connection checks per connector type, run when a confKey is saved. */
const CONNECTION_CHECKS: Record<string, (props: ConfSection) => void> = {
  mqtt: checkMqttProps,
};

function exists(kind: ConfKind, type: string): boolean {
  return kind === "sources" ? getSourceSpec(type) !== undefined : getSinkSpec(type) !== undefined;
}

function mustExist(kind: ConfKind, type: string): void {
  if (!exists(kind, type)) {
    throw new ConfigError(`${kind === "sources" ? "source" : "sink"} ${type} is not found`);
  }
}

function checkKeyName(key: string): void {
  if (!ID.test(key)) {
    throw new ConfigError(
      `id '${key}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed`,
    );
  }
}

/** The PUT body: the properties object, or eKuiper's documented `{"<key>": {...}}` wrapping. */
function sectionOf(body: unknown, key: string): ConfSection {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ConfigError("confKey body must be a JSON object of properties");
  }
  const entries = Object.entries(body);
  if (entries.length === 1 && entries[0][0] === key) {
    const inner = entries[0][1];
    if (typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
      return inner as ConfSection;
    }
  }
  return body as ConfSection;
}

function validate(confKeys: ConfKeys, kind: ConfKind, type: string, section: ConfSection): void {
  try {
    if (kind === "sources") {
      // A source key is used merged over `default`: check what a stream would get.
      const merged = { ...confKeys.resolve("sources", type, undefined), ...section };
      checkCommonSourceProps(merged);
      CONNECTION_CHECKS[type]?.(merged);
    } else {
      CONNECTION_CHECKS[type]?.(section);
    }
  } catch (e) {
    throw new ConfigError(`invalid confKey for ${kind.slice(0, -1)} ${type}: ${errorMessage(e)}`);
  }
}

function connectorList(kind: ConfKind): unknown[] {
  const names = Object.keys(kind === "sources" ? sourceSpecs : sinkSpecs).sort();
  return names.map((name) => ({
    name,
    about: {
      trial: false,
      installed: true,
      description: { en_US: `Built-in ${name} ${kind.slice(0, -1)}` },
    },
    type: "internal",
  }));
}

export function metadataRoutes(app: Hono, confKeys: ConfKeys, maxBody: number): void {
  for (const kind of ["sources", "sinks"] as ConfKind[]) {
    const base = `/metadata/${kind}`;
    app.get(base, () => json(200, connectorList(kind)));

    app.get(`${base}/yaml/:type`, (c) => {
      const type = c.req.param("type");
      mustExist(kind, type);
      const out: Record<string, ConfSection> = {};
      for (const [k, v] of Object.entries(confKeys.sections(kind, type))) out[k] = maskSecrets(v);
      return json(200, out);
    });

    app.get(`${base}/:type/confKeys/:key`, (c) => {
      const type = c.req.param("type");
      const key = c.req.param("key");
      mustExist(kind, type);
      const section = confKeys.section(kind, type, key);
      if (!section) {
        throw new NotFoundError(`conf key ${key} not found for ${kind.slice(0, -1)} ${type}`);
      }
      return json(200, maskSecrets(section));
    });

    app.put(`${base}/:type/confKeys/:key`, async (c) => {
      const type = c.req.param("type");
      const key = c.req.param("key");
      mustExist(kind, type);
      checkKeyName(key);
      const section = sectionOf(await readJsonBody(c.req.raw, maxBody), key);
      validate(confKeys, kind, type, section);
      confKeys.put(kind, type, key, section);
      return text(200, "");
    });

    app.delete(`${base}/:type/confKeys/:key`, (c) => {
      const type = c.req.param("type");
      const key = c.req.param("key");
      mustExist(kind, type);
      if (!confKeys.delete(kind, type, key)) {
        throw new NotFoundError(`conf key ${key} not found for ${kind.slice(0, -1)} ${type}`);
      }
      return text(200, "");
    });
  }
}
