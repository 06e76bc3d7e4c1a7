/**
 * One shared MQTT client connection (mqtt.js) and the subscriptions multiplexed over it.
 *
 * Many rules use one connection (see `mqtt_pool.ts`), so this class owns what they share:
 * - one broker SUBSCRIBE per distinct filter, at the highest qos any subscriber asked for;
 *   UNSUBSCRIBE when the filter's last subscriber leaves;
 * - re-subscription of every filter after each (re)connect (clean sessions; mqtt.js's own
 *   resubscribe is off so that a filter is never subscribed twice);
 * - fan-out of each incoming PUBLISH to the matching subscribers, each called once per packet.
 *   With MQTT 5 each filter carries a subscription identifier, so a message is routed to the
 *   subscriptions the broker matched; brokers that send one copy per overlapping subscription
 *   (mosquitto does) then still reach each subscriber once. With 3.1/3.1.1 routing is by topic
 *   match, and such per-subscription copies are delivered as the broker sends them;
 * - connection status, reported to every user.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import mqtt from "mqtt";
import type { IClientOptions, IClientSubscribeOptions, IPublishPacket, MqttClient } from "mqtt";
import type { Logger } from "../../log.ts";
import type { ConnectionStatus } from "../types.ts";
import { effectiveFilter, hasWildcard, topicMatches } from "../topic.ts";
import { clientUrl, type MqttConnectionConfig, type Qos, tlsOptions } from "./mqtt_config.ts";

/** One received message as subscribers see it. */
export interface MqttMessage {
  topic: string;
  payload: Uint8Array;
  qos: Qos;
  /** Packet id (0 for qos 0, as paho reports it). */
  messageId: number;
  retain: boolean;
  /** MQTT 5 user properties, when the message has any. */
  userProperties?: Record<string, string | string[]>;
}

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

/** Delay between reconnect attempts, ms (mqtt.js reconnectPeriod). */
export const RECONNECT_PERIOD_MS = 2000;
const CONNECT_TIMEOUT_MS = 10_000;
/** How long a graceful disconnect may wait for in-flight acks before the socket is dropped. */
const END_GRACE_MS = 2000;

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
  #nextSubId = 1;
  #useSubIds = false;
  #ended: Promise<void> | undefined;
  #everConnected = false;

  constructor(config: MqttConnectionConfig, clientId: string, log: Logger) {
    this.config = config;
    this.clientId = clientId;
    this.#log = log;
    const opts: IClientOptions = {
      clientId,
      username: config.username,
      password: config.password,
      protocolVersion: config.protocolVersion,
      clean: true,
      resubscribe: false,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // mqtt.js otherwise formats ~10 debug calls per packet: ~5-10 % of Weir's CPU (bench S1).
      log: () => {},
      ...tlsOptions(config.tls),
    };
    this.#client = mqtt.connect(clientUrl(config.server), opts);
    this.#client.on("connect", (connack) => this.#onConnect(connack.properties));
    this.#client.on("reconnect", () => this.#setStatus("connecting"));
    this.#client.on("close", () => this.#onClose());
    // Without an "error" listener an EventEmitter error would throw; the message is kept for
    // the status and the client keeps retrying.
    this.#client.on("error", (e) => {
      this.#lastError = e.message;
      this.#log.debug(`mqtt ${config.server} (${clientId}): ${e.message}`);
    });
    this.#client.on("message", (topic, payload, packet) => this.#onMessage(topic, payload, packet));
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
    if (!entry || !entry.subscribers.delete(sub) || entry.subscribers.size > 0) return;
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
    if (!this.#client.connected || this.#ended) {
      const why = this.#lastError ? `: ${this.#lastError}` : "";
      return Promise.reject(new Error(`not connected to mqtt broker ${this.config.server}${why}`));
    }
    const body = typeof payload === "string"
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const properties = opts.userProperties && this.config.protocolVersion === 5
      ? { userProperties: opts.userProperties }
      : undefined;
    return new Promise((resolve, reject) => {
      this.#client.publish(topic, body, { qos: opts.qos, retain: opts.retain, properties }, (e) => {
        if (!e) return resolve();
        reject(
          e.message === "Message removed" || e.message === "Connection closed"
            ? new Error(`mqtt connection to ${this.config.server} lost before publish completed`)
            : e,
        );
      });
    });
  }

  /** Disconnects for good; pending publishes are rejected. Idempotent. */
  end(): Promise<void> {
    this.#ended ??= new Promise<void>((resolve) => {
      const client = this.#client;
      for (const e of this.#filters.values()) this.#settleWaiters(e, false);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        // One more macrotask turn: mqtt.js's store streams close on a zero-delay timer.
        setTimeout(resolve, 0);
      };
      // mqtt.js may call back before the socket is closed (e.g. while still connecting); the
      // connection is only over once its stream has closed (and mqtt.js cleared its timers).
      const whenClosed = () => {
        const s = client.stream;
        if (!s || s.closed || s.destroyed && !s.readable) return finish();
        s.once("close", finish);
      };
      // Graceful when connected (DISCONNECT, in-flight acks awaited); forced otherwise, and
      // forced after the grace period (then pending publish callbacks are failed by hand).
      const timer = setTimeout(() => {
        this.#failOutgoing();
        client.stream?.destroy();
        finish();
      }, END_GRACE_MS);
      client.end(!client.connected, {}, whenClosed);
      if (!client.connected) this.#failOutgoing();
    });
    return this.#ended;
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

  #onConnect(props: { subscriptionIdentifiersAvailable?: boolean } | undefined): void {
    this.#lastError = "";
    // Brokers that do not support identifiers treat them as a protocol error.
    this.#useSubIds = this.config.protocolVersion === 5 &&
      props?.subscriptionIdentifiersAvailable !== false;
    this.#log.debug(`mqtt connected to ${this.config.server} as ${this.clientId}`);
    this.#setStatus("connected");
    for (const e of this.#filters.values()) this.#sendSubscribe(e);
  }

  #onClose(): void {
    for (const e of this.#filters.values()) {
      if (e.state !== "refused") e.state = "idle";
      this.#settleWaiters(e, false);
    }
    // In-flight publishes fail now rather than being resent on reconnect behind the sink's
    // back: the sink counts the error (and its cache, when enabled, resends).
    this.#failOutgoing();
    this.#setStatus("disconnected");
  }

  #failOutgoing(): void {
    for (const id of Object.keys(this.#client.outgoing)) {
      this.#client.removeOutgoingMessage(Number(id));
    }
  }

  #sendSubscribe(entry: FilterEntry): void {
    const opts: IClientSubscribeOptions = { qos: entry.qos };
    if (this.#useSubIds) opts.properties = { subscriptionIdentifier: entry.subId };
    entry.state = "pending";
    this.subscribePackets++;
    this.#client.subscribe(entry.filter, opts, (err, granted) => {
      if (this.#filters.get(entry.filter) !== entry) return; // removed meanwhile
      const code = (err as { code?: number } | undefined)?.code;
      // A SUBACK failure code (>= 0x80) comes as an error carrying the SUBACK packet (mqtt.js
      // 5, MQTT 5) or as a granted qos (3.1.1's 0x80).
      const suback = (err as { packet?: { granted?: unknown[] } } | undefined)?.packet?.granted;
      const failure = (suback?.find((g) => typeof g === "number" && g >= 0x80) as number) ??
        granted?.find((g) => g.qos >= 0x80)?.qos;
      if ((err && code !== undefined) || failure !== undefined) {
        entry.state = "refused";
        entry.refusal = new Error(
          `mqtt broker ${this.config.server} refused subscription to "${entry.filter}": ` +
            (failure !== undefined ? subackReason(failure) : err!.message),
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

  #matchingEntries(topic: string, packet: IPublishPacket): Iterable<FilterEntry> {
    const ids = packet.properties?.subscriptionIdentifier;
    if (this.#useSubIds && ids !== undefined) {
      const out: FilterEntry[] = [];
      for (const id of Array.isArray(ids) ? ids : [ids]) {
        const e = this.#bySubId.get(id);
        if (e) out.push(e);
      }
      return out;
    }
    const out: FilterEntry[] = [];
    const exact = this.#exact.get(topic);
    if (exact) out.push(...exact);
    for (const e of this.#wild) if (topicMatches(e.match, topic)) out.push(e);
    return out;
  }

  #onMessage(topic: string, payload: Uint8Array, packet: IPublishPacket): void {
    const targets = new Set<Subscriber>();
    for (const e of this.#matchingEntries(topic, packet)) {
      for (const s of e.subscribers) targets.add(s);
    }
    if (targets.size === 0) return;
    const userProperties = packet.properties?.userProperties;
    const msg: MqttMessage = {
      topic,
      // A plain Uint8Array view (no copy) rather than a node Buffer.
      payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
      qos: packet.qos,
      messageId: packet.messageId ?? 0,
      retain: packet.retain,
      ...(userProperties ? { userProperties } : {}),
    };
    for (const s of targets) {
      try {
        s.onMessage(msg);
      } catch (e) {
        this.#log.error(`mqtt subscriber on "${topic}" failed: ${(e as Error).message}`);
      }
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
