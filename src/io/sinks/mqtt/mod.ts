/**
 * The `mqtt` sink: publishes each encoded result to `topic` over a pooled connection.
 *
 * Props (eKuiper): `server` and `topic` required; `qos` (default 0), `retained` (alias `retain`),
 * `clientId`, `username`, `password`, `protocolVersion`, `properties` (MQTT 5 user properties),
 * TLS as the source. `topic` may be a template (`"devices/{{.id}}/out"`): the sink node renders
 * it per result into `item.props.topic`. qos 0 results go out through `trySend`, synchronously
 * with the rest of the turn's packets; `collect` resolves once published (qos 0: written to
 * the socket; qos 1/2: acked) and rejects at once while the connection is down with a
 * {@link SinkIoError}, so the sink node counts the failure and, with `enableCache`, keeps the
 * result for later.
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
import {
  acquireMqttConnection,
  type MqttConnectionHandle,
  type PublishOptions,
} from "../../connections/mqtt_pool.ts";
import { boolProp, requiredString } from "../props.ts";
import { payloadBytes } from "../payload.ts";
import { SinkIoError } from "../io_error.ts";
import { isTemplated } from "../../template/mod.ts";

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
  // A templated topic is checked per result, once rendered.
  if (!isTemplated(topic)) checkTopic(topic);
  return {
    conn,
    topic,
    qos: parseQos(props.qos, 0),
    retained: boolProp(props, "retained", boolProp(props, "retain", false)),
    userProperties: userProperties(props.properties),
  };
}

function checkTopic(topic: string): void {
  try {
    validateTopicName(topic);
  } catch (e) {
    throw new Error(`invalid mqtt sink topic "${topic}": ${(e as Error).message}`);
  }
}

class MqttSink implements Sink {
  #s: MqttSinkSettings;
  #handle: MqttConnectionHandle | undefined;
  /** `trySend`'s options, the same for every result. */
  #qos0: PublishOptions;
  /** qos 0 only: a qos 1 or 2 result waits for its acknowledgement, through `collect`. */
  readonly trySend: ((item: SinkItem) => boolean) | undefined;

  constructor(s: MqttSinkSettings) {
    this.#s = s;
    this.#qos0 = { qos: 0, retain: s.retained, userProperties: s.userProperties };
    this.trySend = s.qos === 0 ? (item) => this.#publishNow(item) : undefined;
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

  async collect(item: SinkItem): Promise<void> {
    const h = this.#handle;
    if (!h) throw new SinkIoError("mqtt sink is not connected");
    const { qos, retained, userProperties } = this.#s;
    const dynamicTopic = item.props?.topic;
    const topic = dynamicTopic ?? this.#s.topic;
    if (dynamicTopic !== undefined) checkTopic(topic);
    if (h.status !== "connected") {
      throw new SinkIoError(`not connected to mqtt broker ${this.#s.conn.server}`);
    }
    try {
      await h.publish(topic, payloadBytes(item), { qos, retain: retained, userProperties });
    } catch (e) {
      // Publish fails only when the connection is down or lost before the ack: worth a retry.
      throw new SinkIoError((e as Error).message);
    }
  }

  #publishNow(item: SinkItem): boolean {
    const h = this.#handle;
    if (!h) return false;
    const topic = item.props?.topic;
    if (topic !== undefined) checkTopic(topic);
    return h.publishNow(topic ?? this.#s.topic, payloadBytes(item), this.#qos0);
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
  // Equal props share one pooled connection (`mqtt_pool.ts`) and name one topic.
  sharedSend: true,
};
