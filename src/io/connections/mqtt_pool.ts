/**
 * The pool of shared MQTT connections. As in eKuiper v2, rules that talk to the same broker
 * with the same identity share one client connection: thousands of rules must not open
 * thousands of sockets. The key is server + username + password + protocol version + TLS
 * settings + the client id when the user set one (a generated id, `weir_<random>`, is not part
 * of the key, so rules without a client id share).
 *
 * Each user acquires a handle (refcounted) and releases it when done; the connection closes
 * when its last handle is released.
 *
 * @module
 */
import { logger } from "../../log.ts";
import type { ConnectionStatus } from "../types.ts";
import { connectionKey, type MqttConnectionConfig, type Qos } from "./mqtt_config.ts";
import {
  type MessageCallback,
  type PublishOptions,
  SharedMqttConnection,
  type StatusCallback,
  type Subscriber,
} from "./mqtt_connection.ts";

export type { MqttMessage, PublishOptions } from "./mqtt_connection.ts";

const log = logger("mqtt");

/** A subscription made through a handle. */
export interface MqttSubscription {
  readonly filter: string;
  /** True once the broker granted it; false if the connection is down (it is subscribed after
   * reconnecting). Rejects when the broker refused the subscription. */
  readonly ready: Promise<boolean>;
  /** Idempotent. */
  unsubscribe(): void;
}

/** One user's share of a pooled connection. */
export interface MqttConnectionHandle {
  readonly server: string;
  readonly clientId: string;
  readonly status: ConnectionStatus;
  /** Waits until the first connection attempt has an outcome, at most `timeoutMs`. */
  settled(timeoutMs: number): Promise<ConnectionStatus>;
  subscribe(filter: string, qos: Qos, onMessage: MessageCallback): MqttSubscription;
  publish(topic: string, payload: Uint8Array | string, opts: PublishOptions): Promise<void>;
  /** qos 0 without a promise: true when written now; false when `publish` must be used
   * (not connected, socket full, qos above 0). */
  publishNow(topic: string, payload: Uint8Array, opts: PublishOptions): boolean;
  /** Holds the connection's incoming messages until `resume` (each handle pauses at most
   * once; releasing the handle resumes). */
  pause(): void;
  resume(): void;
  /** Drops this handle's subscriptions and reference; idempotent. Resolves once the
   * connection is closed when this was its last user. */
  release(): Promise<void>;
}

interface PoolEntry {
  conn: SharedMqttConnection;
  refs: number;
}

const pool = new Map<string, PoolEntry>();

function randomClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return "weir_" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Acquires a handle on the shared connection for `config`, creating it when needed.
 * `onStatus` is called on every status change of the connection (not with the current status:
 * read `handle.status` for that). Throws when TLS files cannot be read.
 */
export function acquireMqttConnection(
  config: MqttConnectionConfig,
  onStatus?: StatusCallback,
  role: "subscribe" | "publish" = "subscribe",
): MqttConnectionHandle {
  // Sources and sinks get separate connections unless the user fixed a client id (two clients
  // with one id would take each other over). On one two-way socket the broker's Nagle waits for
  // ACKs that the kernel delays, which measured ~22 ms p50 latency instead of ~0.4 ms.
  const key = connectionKey(config) + (config.clientId ? "" : `|${role}`);
  let entry = pool.get(key);
  if (!entry) {
    const conn = new SharedMqttConnection(config, config.clientId ?? randomClientId(), log);
    entry = { conn, refs: 0 };
    pool.set(key, entry);
  }
  entry.refs++;
  return new Handle(key, entry, onStatus);
}

class Handle implements MqttConnectionHandle {
  #key: string;
  #entry: PoolEntry;
  #subs = new Map<Subscriber, string>();
  #offStatus: (() => void) | undefined;
  #released: Promise<void> | undefined;
  #paused = false;

  constructor(key: string, entry: PoolEntry, onStatus?: StatusCallback) {
    this.#key = key;
    this.#entry = entry;
    this.#offStatus = onStatus ? entry.conn.onStatus(onStatus) : undefined;
  }

  get server(): string {
    return this.#entry.conn.config.server;
  }

  get clientId(): string {
    return this.#entry.conn.clientId;
  }

  get status(): ConnectionStatus {
    return this.#entry.conn.status;
  }

  settled(timeoutMs: number): Promise<ConnectionStatus> {
    return this.#entry.conn.settled(timeoutMs);
  }

  subscribe(filter: string, qos: Qos, onMessage: MessageCallback): MqttSubscription {
    if (this.#released) throw new Error("mqtt connection handle already released");
    const sub: Subscriber = { onMessage };
    this.#subs.set(sub, filter);
    const ready = this.#entry.conn.addSubscriber(filter, qos, sub);
    ready.catch(() => {}); // callers may not await it; the rejection is also logged
    const unsubscribe = () => {
      if (!this.#subs.delete(sub)) return;
      this.#entry.conn.removeSubscriber(filter, sub);
    };
    return { filter, ready, unsubscribe };
  }

  publish(topic: string, payload: Uint8Array | string, opts: PublishOptions): Promise<void> {
    if (this.#released) return Promise.reject(new Error("mqtt connection handle released"));
    return this.#entry.conn.publish(topic, payload, opts);
  }

  publishNow(topic: string, payload: Uint8Array, opts: PublishOptions): boolean {
    return !this.#released && this.#entry.conn.publishNow(topic, payload, opts);
  }

  pause(): void {
    if (this.#paused || this.#released) return;
    this.#paused = true;
    this.#entry.conn.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#entry.conn.resume();
  }

  release(): Promise<void> {
    this.#released ??= (async () => {
      this.resume();
      this.#offStatus?.();
      const last = --this.#entry.refs === 0;
      if (last && pool.get(this.#key) === this.#entry) pool.delete(this.#key);
      // The last user skips per-filter UNSUBSCRIBEs: the disconnect drops them all.
      if (!last) {
        for (const [sub, filter] of this.#subs) this.#entry.conn.removeSubscriber(filter, sub);
      }
      this.#subs.clear();
      if (last) await this.#entry.conn.end();
    })();
    return this.#released;
  }
}

/** A snapshot of the pool (diagnostics and tests). */
export function mqttPoolStats(): {
  server: string;
  clientId: string;
  refs: number;
  status: ConnectionStatus;
  subscribePackets: number;
  filters: { filter: string; qos: Qos; subscribers: number }[];
}[] {
  return [...pool.values()].map(({ conn, refs }) => ({
    server: conn.config.server,
    clientId: conn.clientId,
    refs,
    status: conn.status,
    subscribePackets: conn.subscribePackets,
    filters: conn.filters(),
  }));
}
