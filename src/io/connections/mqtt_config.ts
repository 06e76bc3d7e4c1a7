/**
 * MQTT connection settings from eKuiper-style props (mqtt source confKeys, mqtt sink props):
 * parsing, validation with user-facing messages, and the pool key.
 *
 * eKuiper names: `server`, `username`, `password`, `clientid` (source) / `clientId` (sink),
 * `protocolVersion` ("3.1" | "3.1.1" | "5"), TLS `certificationPath`, `privateKeyPath`,
 * `rootCaPath`, `certficationRaw` (sic), `privateKeyRaw`, `rootCARaw`, `insecureSkipVerify`.
 *
 * @module
 */
import { readFileSync } from "node:fs";

export type MqttProtocolVersion = 3 | 4 | 5;
export type Qos = 0 | 1 | 2;

export interface MqttTlsSettings {
  certificationPath?: string;
  privateKeyPath?: string;
  rootCaPath?: string;
  certificationRaw?: string;
  privateKeyRaw?: string;
  rootCARaw?: string;
  insecureSkipVerify: boolean;
}

export interface MqttConnectionConfig {
  /** Broker URL as given (tcp://, ssl://, mqtt://, mqtts://, tls://, ws://, wss://). */
  server: string;
  username?: string;
  password?: string;
  /** Explicit client id; absent -> the pool generates `weir_<random>`. */
  clientId?: string;
  protocolVersion: MqttProtocolVersion;
  tls: MqttTlsSettings;
}

const SCHEMES = new Set(["tcp:", "ssl:", "mqtt:", "mqtts:", "tls:", "ws:", "wss:"]);

/** Checks a broker URL; throws `invalid mqtt server ...` otherwise. */
export function validateServer(server: unknown): string {
  if (typeof server !== "string" || server.trim() === "") {
    throw new Error("mqtt server is required (e.g. tcp://127.0.0.1:1883)");
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new Error(`invalid mqtt server "${server}": expected scheme://host[:port]`);
  }
  if (!SCHEMES.has(url.protocol)) {
    throw new Error(
      `invalid mqtt server "${server}": scheme must be tcp, ssl, mqtt, mqtts, tls, ws or wss`,
    );
  }
  if (url.hostname === "") throw new Error(`invalid mqtt server "${server}": missing host`);
  return server;
}

/** "3.1" -> 3, "3.1.1" -> 4, "5" -> 5 (numbers 3/4/5 accepted too). Default 3.1.1. */
export function parseProtocolVersion(v: unknown): MqttProtocolVersion {
  if (v === undefined || v === null || v === "") return 4;
  switch (String(v).trim()) {
    case "3.1":
    case "3":
      return 3;
    case "3.1.1":
    case "4":
      return 4;
    case "5":
    case "5.0":
      return 5;
  }
  throw new Error(`invalid mqtt protocolVersion "${v}": expected "3.1", "3.1.1" or "5"`);
}

export function parseQos(v: unknown, def: Qos): Qos {
  if (v === undefined || v === null || v === "") return def;
  const n = typeof v === "string" ? Number(v) : v;
  if (n === 0 || n === 1 || n === 2) return n;
  throw new Error(`invalid qos ${JSON.stringify(v)}: expected 0, 1 or 2`);
}

export function parseBool(v: unknown, name: string, def = false): boolean {
  if (v === undefined || v === null || v === "") return def;
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new Error(`invalid ${name} ${JSON.stringify(v)}: expected true or false`);
}

function optString(props: Record<string, unknown>, name: string): string | undefined {
  const v = props[name];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string" && typeof v !== "number") {
    throw new Error(`invalid mqtt ${name}: expected a string`);
  }
  return String(v);
}

/** Builds (and validates) the connection settings from props. Throws on invalid values. */
export function mqttConfigFromProps(props: Record<string, unknown>): MqttConnectionConfig {
  const server = validateServer(props.server);
  return {
    server,
    username: optString(props, "username"),
    password: optString(props, "password"),
    clientId: optString(props, "clientid") ?? optString(props, "clientId"),
    protocolVersion: parseProtocolVersion(props.protocolVersion),
    tls: tlsSettingsFromProps(props),
  };
}

/** The TLS part of the connection props (file paths, raw PEM, insecureSkipVerify). */
function tlsSettingsFromProps(props: Record<string, unknown>): MqttTlsSettings {
  return {
    certificationPath: optString(props, "certificationPath"),
    privateKeyPath: optString(props, "privateKeyPath"),
    rootCaPath: optString(props, "rootCaPath"),
    certificationRaw: optString(props, "certficationRaw") ?? optString(props, "certificationRaw"),
    privateKeyRaw: optString(props, "privateKeyRaw"),
    rootCARaw: optString(props, "rootCARaw"),
    insecureSkipVerify: parseBool(props.insecureSkipVerify, "insecureSkipVerify"),
  };
}

/** Connections are shared by this key: same broker, identity, protocol and TLS material. */
export function connectionKey(c: MqttConnectionConfig): string {
  const t = c.tls;
  return JSON.stringify([
    c.server,
    c.username ?? "",
    c.password ?? "",
    c.protocolVersion,
    c.clientId ?? "",
    t.certificationPath ?? "",
    t.privateKeyPath ?? "",
    t.rootCaPath ?? "",
    t.certificationRaw ?? "",
    t.privateKeyRaw ?? "",
    t.rootCARaw ?? "",
    t.insecureSkipVerify,
  ]);
}

/** Raw TLS material is PEM text or base64 of it (eKuiper accepts both). */
function decodeRaw(raw: string, what: string): string {
  if (raw.includes("-----BEGIN")) return raw;
  try {
    const bin = atob(raw.replace(/\s+/g, ""));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new Error(`invalid mqtt ${what}: expected PEM text or its base64`);
  }
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read mqtt ${what} "${path}": ${(e as Error).message}`);
  }
}

/** TLS material in node:tls terms. */
export interface TlsOptions {
  cert?: string;
  key?: string;
  ca?: string;
  rejectUnauthorized: boolean;
}

/** The TLS options of a connection. Paths are read now, relative to the working dir. */
export function tlsOptions(t: MqttTlsSettings): TlsOptions {
  const cert = t.certificationRaw !== undefined
    ? decodeRaw(t.certificationRaw, "certficationRaw")
    : t.certificationPath !== undefined
    ? readPem(t.certificationPath, "certificationPath")
    : undefined;
  const key = t.privateKeyRaw !== undefined
    ? decodeRaw(t.privateKeyRaw, "privateKeyRaw")
    : t.privateKeyPath !== undefined
    ? readPem(t.privateKeyPath, "privateKeyPath")
    : undefined;
  const ca = t.rootCARaw !== undefined
    ? decodeRaw(t.rootCARaw, "rootCARaw")
    : t.rootCaPath !== undefined
    ? readPem(t.rootCaPath, "rootCaPath")
    : undefined;
  return { cert, key, ca, rejectUnauthorized: !t.insecureSkipVerify };
}

/**
 * Checks the MQTT connection properties present in a confKey (a partial set: a sink's
 * resourceId preset may leave out the server). Throws an Error with a user-facing message;
 * TLS files must be readable now, so a typo is reported when the key is saved.
 */
export function checkMqttProps(props: Record<string, unknown>): void {
  if (props.server !== undefined) validateServer(props.server);
  parseProtocolVersion(props.protocolVersion);
  parseQos(props.qos, 1);
  for (const name of ["username", "password", "clientid", "clientId"]) optString(props, name);
  tlsOptions(tlsSettingsFromProps(props));
}
