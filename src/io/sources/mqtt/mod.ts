/**
 * The `mqtt` source: subscribes to the stream's DATASOURCE (a topic filter, wildcards allowed)
 * over a pooled connection and emits each message's bytes, to be decoded by the stream FORMAT.
 *
 * Meta: `topic`, `qos`, `messageId` and, for MQTT 5 messages carrying user properties,
 * `properties` (as eKuiper's v5 client). Props: the eKuiper mqtt confKeys (`server`,
 * `username`, `password`, `clientid`, `protocolVersion`, `qos` (default 1), TLS).
 *
 * @module
 */
import { validateTopicFilter } from "../../topic.ts";
import type { Source, SourceContext, SourceProps, SourceSpec } from "../../types.ts";
import {
  mqttConfigFromProps,
  type MqttConnectionConfig,
  parseQos,
  type Qos,
} from "../../connections/mqtt_config.ts";
import {
  acquireMqttConnection,
  type MqttConnectionHandle,
  type MqttSubscription,
} from "../../connections/mqtt_pool.ts";
import { withTimeout } from "../../connections/wait.ts";

/** How long `open` waits for the SUBACK before letting the rule start anyway. */
const OPEN_WAIT_MS = 5000;

interface MqttSourceSettings {
  conn: MqttConnectionConfig;
  filter: string;
  qos: Qos;
}

function settings(props: SourceProps): MqttSourceSettings {
  const conn = mqttConfigFromProps(props);
  const filter = props.datasource;
  try {
    validateTopicFilter(filter);
  } catch (e) {
    throw new Error(`invalid mqtt source datasource: ${(e as Error).message}`);
  }
  return { conn, filter, qos: parseQos(props.qos, 1) };
}

class MqttSource implements Source {
  #s: MqttSourceSettings;
  #handle: MqttConnectionHandle | undefined;
  #sub: MqttSubscription | undefined;

  constructor(s: MqttSourceSettings) {
    this.#s = s;
  }

  async open(ctx: SourceContext): Promise<void> {
    const { conn, filter, qos } = this.#s;
    const handle = acquireMqttConnection(
      conn,
      (status, message) => ctx.setConnectionStatus(status, message),
    );
    this.#handle = handle;
    ctx.setConnectionStatus(handle.status);
    // A full rule buffer pauses the connection (the broker holds or drops, not Weir) until
    // the rules catch up.
    let paused = false;
    const resume = () => {
      paused = false;
      handle.resume();
    };
    // The message is its own raw message (`InboundPublish`): payload offsets into the read
    // chunk, meta, arrival time.
    this.#sub = handle.subscribe(filter, qos, (m) => {
      ctx.emit(m);
      if (!paused && ctx.pauseIfFull?.(resume)) {
        paused = true;
        handle.pause();
      }
    });
    let subscribed: boolean;
    try {
      subscribed = await withTimeout(this.#sub.ready, OPEN_WAIT_MS, false);
    } catch (e) {
      await this.close();
      throw e; // the broker refused the filter: the rule cannot work
    }
    if (!subscribed) {
      ctx.logger.warn(
        `mqtt source not yet subscribed to "${filter}" on ${conn.server}; retrying in background`,
      );
    }
  }

  async close(): Promise<void> {
    this.#sub?.unsubscribe();
    this.#sub = undefined;
    const h = this.#handle;
    this.#handle = undefined;
    await h?.release();
  }
}

export const mqttSource: SourceSpec = {
  type: "mqtt",
  payload: "bytes",
  validate(props) {
    settings(props);
  },
  create(props) {
    return new MqttSource(settings(props));
  },
};
