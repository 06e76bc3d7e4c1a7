/**
 * The `mqtt` sink: publishes each encoded result to `topic` over a pooled connection.
 *
 * Props (eKuiper): `server` and `topic` required; `qos` (default 0), `retained`, `clientId`,
 * `username`, `password`, `protocolVersion`, `properties` (MQTT 5 user properties), TLS as the
 * source. `collect` resolves once published (qos 0: written to the socket; qos 1/2: acked) and
 * rejects at once while the connection is down, so the sink node counts the failure.
 *
 * @module
 */
import type { Sink, SinkContext, SinkItem, SinkSpec } from "../../types.ts";
import { validateTopicName } from "../../topic.ts";
import {
  mqttConfigFromProps,
  type MqttConnectionConfig,
  parseQos,
  type Qos,
} from "../../connections/mqtt_config.ts";
import { acquireMqttConnection, type MqttConnectionHandle } from "../../connections/mqtt_pool.ts";
import { boolProp, requiredString } from "../props.ts";
import { payloadBytes } from "../payload.ts";

/** How long `connect` waits for the broker before letting the rule start anyway. */
const CONNECT_WAIT_MS = 5000;

interface MqttSinkSettings {
  conn: MqttConnectionConfig;
  topic: string;
  qos: Qos;
  retained: boolean;
  userProperties?: Record<string, string>;
}

function userProperties(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new Error("invalid mqtt sink properties: expected an object of strings");
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

function settings(props: Record<string, unknown>): MqttSinkSettings {
  const conn = mqttConfigFromProps(props);
  const topic = requiredString(props, "topic", "mqtt");
  try {
    validateTopicName(topic);
  } catch (e) {
    throw new Error(`invalid mqtt sink topic: ${(e as Error).message}`);
  }
  return {
    conn,
    topic,
    qos: parseQos(props.qos, 0),
    retained: boolProp(props, "retained", false),
    userProperties: userProperties(props.properties),
  };
}

class MqttSink implements Sink {
  #s: MqttSinkSettings;
  #handle: MqttConnectionHandle | undefined;

  constructor(s: MqttSinkSettings) {
    this.#s = s;
  }

  async connect(ctx: SinkContext): Promise<void> {
    const server = this.#s.conn.server;
    const handle = acquireMqttConnection(
      this.#s.conn,
      (status, message) => ctx.setConnectionStatus(status, message),
      "publish",
    );
    this.#handle = handle;
    ctx.setConnectionStatus(handle.status);
    if (await handle.settled(CONNECT_WAIT_MS) !== "connected") {
      ctx.logger.warn(`mqtt sink cannot reach ${server} yet; retrying in background`);
    }
  }

  collect(item: SinkItem): Promise<void> {
    const h = this.#handle;
    if (!h) return Promise.reject(new Error("mqtt sink is not connected"));
    const { topic, qos, retained, userProperties } = this.#s;
    return h.publish(topic, payloadBytes(item), { qos, retain: retained, userProperties });
  }

  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    await h?.release();
  }
}

export const mqttSink: SinkSpec = {
  type: "mqtt",
  payload: "bytes",
  validate(props) {
    settings(props);
  },
  create: (props) => new MqttSink(settings(props)),
};
