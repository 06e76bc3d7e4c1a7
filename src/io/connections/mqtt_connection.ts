/**
 * One shared MQTT client connection (`mqtt_client.ts`) and the subscriptions multiplexed over it.
 *
 * Many rules use one connection (see `mqtt_pool.ts`), so this class owns what they share:
 * - one broker SUBSCRIBE per distinct filter, at the highest qos any subscriber asked for;
 *   UNSUBSCRIBE when the filter's last subscriber leaves;
 * - re-subscription of every filter after each (re)connect (clean sessions);
 * - fan-out of each incoming PUBLISH to the matching subscribers, each called once per packet.
 *   With MQTT 5 each filter carries a subscription identifier, so a message is routed to the
 *   subscriptions the broker matched; brokers that send one copy per overlapping subscription
 *   (mosquitto does) then still reach each subscriber once. With 3.1/3.1.1 routing is by topic
 *   match, and such per-subscription copies are delivered as the broker sends them;
 * - connection status, reported to every user.
 *
 * @module
 */
import type { Logger } from "../../log.ts";
import type { ConnectionStatus } from "../types.ts";
import { effectiveFilter, hasWildcard, topicMatches } from "../topic.ts";
import { type MqttConnectionConfig, type Qos, tlsOptions } from "./mqtt_config.ts";
import { type ConnackProperties, MqttClient } from "./mqtt_client.ts";
import type { InboundPublish } from "./mqtt_wire.ts";

/** One received message as subscribers see it: topic, payload (a view into the socket chunk),
 * qos, packet id (0 for qos 0, as paho reports it), retain, MQTT 5 user properties, arrival
 * time. */
export type MqttMessage = Omit<InboundPublish, "subscriptionIds">;

export type MessageCallback = (msg: MqttMessage) => void;
export type StatusCallback = (status: ConnectionStatus, message?: string) => void;

export interface PublishOptions {
  qos: Qos;
  retain: boolean;
  /** MQTT 5 user properties. */
  userProperties?: Record<string, string | string[]>;
}

/** A subscriber's registration on a filter. */
export interface Subscriber {
  readonly onMessage: MessageCallback;
}

interface Waiter {
  resolve(subscribed: boolean): void;
  reject(e: Error): void;
}

interface FilterEntry {
  filter: string;
  /** The filter without `$share/<group>/`, matched against topics. */
  match: string;
  qos: Qos;
  subscribers: Set<Subscriber>;
  /** MQTT 5 subscription identifier. */
  subId: number;
  state: "idle" | "pending" | "acked" | "refused";
  refusal?: Error;
  waiters: Waiter[];
}

/** Delay between reconnect attempts, ms. */
export const RECONNECT_PERIOD_MS = 2000;
const CONNECT_TIMEOUT_MS = 10_000;
/** Seconds, as mqtt.js and paho default to. */
const KEEPALIVE_S = 60;
/** Routing keys remembered (see `#routes`). */
const MAX_ROUTES = 4096;

export class SharedMqttConnection {
  readonly clientId: string;
  readonly config: MqttConnectionConfig;
  /** Number of SUBSCRIBE packets sent (diagnostics, tests). */
  subscribePackets = 0;

  #client: MqttClient;
  #log: Logger;
  #status: ConnectionStatus = "connecting";
  #lastError = "";
  #statusListeners = new Set<StatusCallback>();
  #filters = new Map<string, FilterEntry>();
  #bySubId = new Map<number, FilterEntry>();
  // Exact filters by topic; wildcard filters are scanned (3.1.1 routing only).
  #exact = new Map<string, Set<FilterEntry>>();
  #wild = new Set<FilterEntry>();
  /**
   * Who gets a message, by its routing key (the topic; with subscription identifiers, the one
   * identifier it carries), so that a stream of messages is routed without allocating. Cleared
   * whenever subscribers change; bounded, since wildcard filters can match any number of topics.
   */
  #routes = new Map<string | number, Subscriber[]>();
  #nextSubId = 1;
  #useSubIds = false;
  #ended: Promise<void> | undefined;
  #everConnected = false;

  constructor(config: MqttConnectionConfig, clientId: string, log: Logger) {
    this.config = config;
    this.clientId = clientId;
    this.#log = log;
    this.#client = new MqttClient({
      server: config.server,
      clientId,
      username: config.username,
      password: config.password,
      protocolVersion: config.protocolVersion,
      tls: tlsOptions(config.tls),
      keepaliveS: KEEPALIVE_S,
      reconnectPeriodMs: RECONNECT_PERIOD_MS,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    }, {
      connect: (props) => this.#onConnect(props),
      reconnect: () => this.#setStatus("connecting"),
      close: () => this.#onClose(),
      // The message is kept for the status; the client keeps retrying.
      error: (e) => {
        this.#lastError = e.message;
        this.#log.debug(`mqtt ${config.server} (${clientId}): ${e.message}`);
      },
      message: (msg) => this.#onMessage(msg),
    });
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get lastError(): string {
    return this.#lastError;
  }

  get connected(): boolean {
    return this.#client.connected;
  }

  /** Distinct filters currently subscribed (or to subscribe on connect). */
  filters(): { filter: string; qos: Qos; subscribers: number }[] {
    return [...this.#filters.values()].map((e) => ({
      filter: e.filter,
      qos: e.qos,
      subscribers: e.subscribers.size,
    }));
  }

  onStatus(cb: StatusCallback): () => void {
    this.#statusListeners.add(cb);
    return () => void this.#statusListeners.delete(cb);
  }

  /** Resolves with the status once the first connection attempt has an outcome (or at
   * `timeoutMs`), so that callers can start without blocking on an unreachable broker. */
  settled(timeoutMs: number): Promise<ConnectionStatus> {
    if (this.#status !== "connecting") return Promise.resolve(this.#status);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve(this.#status);
      };
      const timer = setTimeout(done, timeoutMs);
      const off = this.onStatus((s) => s !== "connecting" && done());
    });
  }

  /**
   * Adds `sub` to `filter`. The returned promise resolves true once the broker granted the
   * subscription, false when the connection is down (it is subscribed after reconnecting),
   * and rejects when the broker refused it.
   */
  addSubscriber(filter: string, qos: Qos, sub: Subscriber): Promise<boolean> {
    let entry = this.#filters.get(filter);
    const isNew = !entry;
    if (!entry) {
      entry = {
        filter,
        match: effectiveFilter(filter),
        qos,
        subscribers: new Set(),
        subId: this.#nextSubId++,
        state: "idle",
        waiters: [],
      };
      this.#filters.set(filter, entry);
      this.#bySubId.set(entry.subId, entry);
      this.#index(entry);
    }
    entry.subscribers.add(sub);
    this.#routes.clear();
    const upgrade = qos > entry.qos;
    if (upgrade) entry.qos = qos;
    if (this.#client.connected && (isNew || upgrade || entry.state === "refused")) {
      this.#sendSubscribe(entry);
    }
    if (entry.state === "acked") return Promise.resolve(true);
    if (entry.state === "refused") return Promise.reject(entry.refusal);
    if (this.#status === "disconnected") return Promise.resolve(false);
    const e = entry;
    return new Promise((resolve, reject) => e.waiters.push({ resolve, reject }));
  }

  /** Removes `sub` from `filter`; the filter is unsubscribed when no subscriber is left. */
  removeSubscriber(filter: string, sub: Subscriber): void {
    const entry = this.#filters.get(filter);
    if (!entry || !entry.subscribers.delete(sub)) return;
    this.#routes.clear();
    if (entry.subscribers.size > 0) return;
    this.#filters.delete(filter);
    this.#bySubId.delete(entry.subId);
    this.#unindex(entry);
    this.#settleWaiters(entry, false);
    if (this.#client.connected && !this.#ended) {
      this.#client.unsubscribe(filter, (err) => {
        if (err) this.#log.debug(`mqtt unsubscribe "${filter}" failed: ${err.message}`);
      });
    }
  }

  /** Publishes; resolves when written (qos 0) or acknowledged (qos 1, 2). Rejects at once
   * when disconnected (no silent queueing), and when the connection drops before the ack. */
  publish(topic: string, payload: Uint8Array | string, opts: PublishOptions): Promise<void> {
    if (!this.#client.connected || this.#ended) return Promise.reject(this.#notConnected());
    const body = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    return new Promise((resolve, reject) => {
      this.#client.publish(topic, body, opts.qos, opts.retain, this.#v5(opts), (e) => {
        if (!e) return resolve();
        reject(
          e.message === "Connection closed"
            ? new Error(`mqtt connection to ${this.config.server} lost before publish completed`)
            : e,
        );
      });
    });
  }

  /**
   * The qos 0 fast path: writes at once, without a promise, and returns true; false when it
   * cannot go now (disconnected, or the socket is full) and `publish` should be awaited.
   */
  publishNow(topic: string, payload: Uint8Array, opts: PublishOptions): boolean {
    if (opts.qos !== 0 || !this.#client.canWrite || this.#ended) return false;
    this.#client.publish(topic, payload, 0, opts.retain, this.#v5(opts));
    return true;
  }

  /** Holds incoming messages (the socket stops being read) until as many `resume` calls. */
  pause(): void {
    this.#client.pause();
  }

  resume(): void {
    this.#client.resume();
  }

  /** Disconnects for good; pending publishes are rejected. Idempotent. */
  end(): Promise<void> {
    this.#ended ??= (async () => {
      for (const e of this.#filters.values()) this.#settleWaiters(e, false);
      await this.#client.end();
    })();
    return this.#ended;
  }

  #notConnected(): Error {
    const why = this.#lastError ? `: ${this.#lastError}` : "";
    return new Error(`not connected to mqtt broker ${this.config.server}${why}`);
  }

  #v5(opts: PublishOptions): Record<string, string | string[]> | undefined {
    return this.config.protocolVersion === 5 ? opts.userProperties : undefined;
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    // Logged once per outage, here rather than by each of the many users of the connection
    // (retries flip connecting/disconnected every reconnect period).
    if (status === "disconnected" && this.#status === "connected" && !this.#ended) {
      const why = this.#lastError ? `: ${this.#lastError}` : "";
      this.#log.warn(`mqtt connection to ${this.config.server} lost${why}; reconnecting`);
    } else if (status === "connected" && this.#everConnected) {
      this.#log.info(`mqtt connection to ${this.config.server} restored`);
    }
    if (status === "connected") this.#everConnected = true;
    this.#status = status;
    const message = status === "disconnected" ? this.#lastError || undefined : undefined;
    for (const cb of [...this.#statusListeners]) {
      try {
        cb(status, message);
      } catch (e) {
        this.#log.error(`mqtt status listener failed: ${(e as Error).message}`);
      }
    }
  }

  #onConnect(props: ConnackProperties | undefined): void {
    this.#lastError = "";
    // Brokers that do not support identifiers treat them as a protocol error.
    this.#useSubIds = this.config.protocolVersion === 5 &&
      props?.subscriptionIdentifiersAvailable !== false;
    this.#routes.clear();
    this.#log.debug(`mqtt connected to ${this.config.server} as ${this.clientId}`);
    this.#setStatus("connected");
    for (const e of this.#filters.values()) this.#sendSubscribe(e);
  }

  #onClose(): void {
    for (const e of this.#filters.values()) {
      if (e.state !== "refused") e.state = "idle";
      this.#settleWaiters(e, false);
    }
    // In-flight publishes have failed (the client is not resending them behind the sink's
    // back): the sink counts the error (and its cache, when enabled, resends).
    this.#setStatus("disconnected");
  }

  #sendSubscribe(entry: FilterEntry): void {
    entry.state = "pending";
    this.subscribePackets++;
    const subId = this.#useSubIds ? entry.subId : undefined;
    this.#client.subscribe(entry.filter, entry.qos, subId, (err, codes) => {
      if (this.#filters.get(entry.filter) !== entry) return; // removed meanwhile
      // SUBACK carries the granted qos, or a failure code (>= 0x80).
      const failure = codes?.find((c) => c >= 0x80);
      if (failure !== undefined) {
        entry.state = "refused";
        entry.refusal = new Error(
          `mqtt broker ${this.config.server} refused subscription to "${entry.filter}": ` +
            subackReason(failure),
        );
        this.#log.warn(entry.refusal.message);
        for (const w of entry.waiters.splice(0)) w.reject(entry.refusal);
      } else if (err) {
        entry.state = "idle"; // connection lost; re-sent on reconnect
        this.#settleWaiters(entry, false);
      } else {
        entry.state = "acked";
        entry.refusal = undefined;
        this.#settleWaiters(entry, true);
      }
    });
  }

  #settleWaiters(entry: FilterEntry, subscribed: boolean): void {
    for (const w of entry.waiters.splice(0)) w.resolve(subscribed);
  }

  #index(e: FilterEntry): void {
    if (hasWildcard(e.match)) return void this.#wild.add(e);
    let set = this.#exact.get(e.match);
    if (!set) this.#exact.set(e.match, set = new Set());
    set.add(e);
  }

  #unindex(e: FilterEntry): void {
    if (this.#wild.delete(e)) return;
    const set = this.#exact.get(e.match);
    if (set?.delete(e) && set.size === 0) this.#exact.delete(e.match);
  }

  #onMessage(msg: InboundPublish): void {
    const ids = this.#useSubIds ? msg.subscriptionIds : undefined;
    const key = ids ? (ids.length === 1 ? ids[0] : undefined) : msg.topic;
    let targets = key === undefined ? undefined : this.#routes.get(key);
    if (!targets) {
      targets = this.#route(msg.topic, ids);
      if (key !== undefined) {
        if (this.#routes.size >= MAX_ROUTES) this.#routes.clear();
        this.#routes.set(key, targets);
      }
    }
    for (let i = 0; i < targets.length; i++) this.#deliver(targets[i], msg);
  }

  /** The subscribers of a message, each once: by its subscription identifiers when it carries
   * them (MQTT 5), else by matching its topic against the filters. */
  #route(topic: string, ids: number[] | undefined): Subscriber[] {
    const targets = new Set<Subscriber>();
    const add = (e: FilterEntry | undefined) => {
      if (e) { for (const s of e.subscribers) targets.add(s); }
    };
    if (ids) {
      for (const id of ids) add(this.#bySubId.get(id));
    } else {
      const exact = this.#exact.get(topic);
      if (exact) { for (const e of exact) add(e); }
      for (const e of this.#wild) if (topicMatches(e.match, topic)) add(e);
    }
    return [...targets];
  }

  #deliver(s: Subscriber, msg: MqttMessage): void {
    try {
      s.onMessage(msg);
    } catch (e) {
      this.#log.error(`mqtt subscriber on "${msg.topic}" failed: ${(e as Error).message}`);
    }
  }
}

/** Words for SUBACK failure codes (MQTT 5 §3.9.3; 0x80 is 3.1.1's only failure code). */
function subackReason(code: number): string {
  switch (code) {
    case 0x87:
      return "not authorized (0x87)";
    case 0x8f:
      return "topic filter invalid (0x8F)";
    case 0x97:
      return "quota exceeded (0x97)";
    case 0x9e:
      return "shared subscriptions are not supported by this broker (0x9E)";
    case 0xa1:
      return "subscription identifiers not supported (0xA1)";
    case 0xa2:
      return "wildcard subscriptions not supported (0xA2)";
    default:
      return `failure code 0x${code.toString(16).toUpperCase()}`;
  }
}
