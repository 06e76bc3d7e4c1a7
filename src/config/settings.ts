/**
 * Server settings: built-in defaults, overridden by `etc/weir.yaml`, then by environment
 * variables, then by command-line flags. The defaults live here so that a lone binary starts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import YAML from "yaml";
import { ConfigError } from "../errors.ts";

export interface HostPort {
  host: string;
  port: number;
}

export interface Settings {
  home: string;
  etcDir: string;
  dataDir: string;
  logLevel: string;
  rest: HostPort;
  push: HostPort;
  /** Embedded MQTT broker address, or undefined when disabled. */
  broker: HostPort | undefined;
  /** Global rule option defaults (`rule:` section), merged under each rule's options. */
  ruleDefaults: Record<string, unknown>;
  /** Largest accepted REST request body, bytes. */
  maxBodySize: number;
  /** `basic.timezone`: the zone date/time functions print in (IANA name, `UTC`, `Local`). */
  timezone: string;
}

export interface SettingsOverrides {
  restAddr?: string;
  pushAddr?: string;
  brokerAddr?: string;
}

export function parseHostPort(text: string, what: string): HostPort {
  const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(text.trim());
  if (!m) throw new ConfigError(`${what} must be host:port, got "${text}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new ConfigError(`${what} port out of range: ${port}`);
  return { host: m[1] || "0.0.0.0", port };
}

// deno-lint-ignore no-explicit-any
type Yaml = Record<string, any>;

function readYaml(path: string): Yaml {
  if (!existsSync(path)) return {};
  try {
    return (YAML.parse(readFileSync(path, "utf8")) as Yaml) ?? {};
  } catch (e) {
    throw new ConfigError(`cannot parse ${path}: ${(e as Error).message}`);
  }
}

function addr(host: unknown, port: unknown, fallback: HostPort): HostPort {
  return {
    host: typeof host === "string" && host ? host : fallback.host,
    port: typeof port === "number" ? port : fallback.port,
  };
}

export function loadSettings(home: string, overrides: SettingsOverrides = {}): Settings {
  const etcDir = join(home, "etc");
  const y = readYaml(join(etcDir, "weir.yaml"));
  const basic: Yaml = y.basic ?? {};
  const source: Yaml = y.source ?? {};
  const broker: Yaml = y.broker ?? {};
  const env = process.env;

  let rest = addr(basic.restIp, basic.restPort, { host: "127.0.0.1", port: 9081 });
  let push = addr(source.httpServerIp, source.httpServerPort, { host: "127.0.0.1", port: 10081 });
  let brokerAddr: HostPort | undefined = broker.enable === false
    ? undefined
    : addr(broker.ip, broker.port, { host: "127.0.0.1", port: 1883 });

  const restText = overrides.restAddr ?? env.WEIR_REST_ADDR;
  if (restText) rest = parseHostPort(restText, "REST address");
  const pushText = overrides.pushAddr ?? env.WEIR_PUSH_ADDR;
  if (pushText) push = parseHostPort(pushText, "HTTP push address");
  const brokerText = overrides.brokerAddr ?? env.WEIR_BROKER_ADDR;
  if (brokerText) {
    brokerAddr = brokerText === "off" ? undefined : parseHostPort(brokerText, "broker address");
  }

  return {
    home,
    etcDir,
    dataDir: join(home, typeof basic.dataDir === "string" ? basic.dataDir : "data"),
    logLevel: env.WEIR_LOG_LEVEL ?? basic.logLevel ?? "info",
    rest,
    push,
    broker: brokerAddr,
    ruleDefaults: (y.rule as Record<string, unknown>) ?? {},
    maxBodySize: typeof basic.maxBodySize === "number" ? basic.maxBodySize : 10 * 1024 * 1024,
    timezone: env.WEIR_TIMEZONE ?? (typeof basic.timezone === "string" ? basic.timezone : "Local"),
  };
}
