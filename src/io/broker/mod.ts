/**
 * Weir's optional embedded MQTT broker (MQTT 3.1.1 and 5 over TCP), so that one binary is a
 * complete edge node.
 *
 * ```ts
 * const broker = await startBroker({ host: "0.0.0.0", port: 1883 });
 * // ...
 * await broker.close();
 * ```
 *
 * Protocol: MQTT 3.1.1 in full for a broker's side (QoS 0/1/2 both ways, retained messages,
 * `+`/`#` wildcards, last will, keep-alive, client id takeover, persistent sessions) and
 * MQTT 5 for the same, with reason codes, session expiry, No Local / Retain As Published /
 * Retain Handling, and PUBLISH properties (user properties, content type, response topic,
 * correlation data, message expiry) forwarded to MQTT 5 subscribers.
 *
 * Bounded memory per client: QoS 0 messages are dropped (and counted in `stats().dropped`)
 * while its socket write buffer is over `maxWriteBuffer` (8 MiB); QoS 1/2 messages are capped
 * at `maxInflight` unacknowledged plus `maxQueued` waiting.
 *
 * Left out: authentication/authorization (every client is accepted), TLS and WebSocket
 * listeners, shared subscriptions (`$share/`, refused with 0x9E), MQTT 5 subscription
 * identifiers, topic aliases (CONNACK announces none), enhanced auth (AUTH), will delay, and
 * `$SYS` statistics topics. Persistent sessions live in memory only and die with the process;
 * an MQTT 3.1.1 clean-session-off session never expires (MQTT 5 ones honour their expiry).
 *
 * Throughput: `deno run -A src/io/broker/broker_bench.ts`.
 *
 * @module
 */
import { Broker as Server, type BrokerOptions, type BrokerStats } from "./broker.ts";

export type { BrokerOptions, BrokerStats };

export interface Broker {
  readonly host: string;
  /** The port actually bound (the ephemeral one when started with port 0). */
  readonly port: number;
  /** Ends all client connections and the server. */
  close(): Promise<void>;
  stats(): BrokerStats;
}

/**
 * Starts the broker. Rejects with an error whose `code` is `"EADDRINUSE"` when the port is
 * already taken, so that the caller can log it and carry on without the broker.
 */
// deno-lint-ignore require-await
export async function startBroker(opts: BrokerOptions): Promise<Broker> {
  const server = new Server(opts);
  server.listen(); // a throw here rejects
  return {
    host: server.host,
    port: server.port,
    close: () => server.close(),
    stats: () => server.stats(),
  };
}
