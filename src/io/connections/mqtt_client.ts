/**
 * Weir's MQTT client (3.1, 3.1.1 and 5): one broker connection with clean sessions, automatic
 * reconnection, keep-alive, QoS 0/1/2 both ways. It is what `SharedMqttConnection` multiplexes
 * rules over.
 *
 * Built for the message path: PUBLISH and its acks are read and written by hand
 * (`mqtt_wire.ts`), a socket chunk's messages are delivered in one synchronous loop, and
 * everything written in one turn (results, acks) leaves in one socket write. The rare packets
 * (CONNECT, SUBSCRIBE, CONNACK, SUBACK ...) go through Weir's codec (`../mqtt_codec/`).
 *
 * @module
 */
import { decodeFrame, encodePacket, encodeProperties, type Packet } from "../mqtt_codec/mod.ts";
import type { MqttProtocolVersion, Qos, TlsOptions } from "./mqtt_config.ts";
import { openTransport, type Transport } from "./mqtt_transport.ts";
import {
  CONNACK,
  FrameReader,
  type InboundPublish,
  MqttProtocolError,
  PacketWriter,
  PUBACK,
  PUBCOMP,
  PUBLISH,
  PublishDecoder,
  PUBREC,
  PUBREL,
} from "./mqtt_wire.ts";

export interface MqttClientOptions {
  server: string;
  clientId: string;
  username?: string;
  password?: string;
  protocolVersion: MqttProtocolVersion;
  tls: TlsOptions;
  /** Seconds; 0 disables keep-alive. */
  keepaliveS: number;
  reconnectPeriodMs: number;
  connectTimeoutMs: number;
}

/** What the broker said about the session (MQTT 5 CONNACK properties). */
export interface ConnackProperties {
  subscriptionIdentifiersAvailable?: boolean;
}

export interface MqttClientEvents {
  connect(props: ConnackProperties | undefined): void;
  /** A new connection attempt starts. */
  reconnect(): void;
  /** The connection (or an attempt) ended; in-flight operations have failed. */
  close(): void;
  error(e: Error): void;
  /** Called once per PUBLISH; the message is acknowledged after it returns. */
  message(msg: InboundPublish): void;
}

/** Callback of an acknowledged operation: SUBACK's codes for SUBSCRIBE (granted qos or
 * failure >= 0x80), nothing for the others. */
type AckCallback = (err: Error | undefined, codes?: number[]) => void;

const CLOSED = "Connection closed";
const PINGREQ = new Uint8Array([0xc0, 0]);
const DISCONNECT = new Uint8Array([0xe0, 0]);
/** How long `end` waits for in-flight acks, then for the broker to close. */
const END_GRACE_MS = 2000;
const NO_PROPERTIES = new Uint8Array(1);
const EMPTY = new Uint8Array(0);
/** Distinct publish topics whose encoding is kept. */
const TOPIC_CACHE = 256;

export class MqttClient {
  #o: MqttClientOptions;
  #ev: MqttClientEvents;
  #transport: Transport | undefined;
  #connected = false;
  #ended = false;
  #congested = false;
  #reader = new FrameReader();
  #writer = new PacketWriter();
  #decoder: PublishDecoder;
  /** Operations awaiting their ack, by packet id. */
  #inFlight = new Map<number, AckCallback | undefined>();
  #nextId = 1;
  /** Incoming qos 2 ids between PUBREC and PUBREL: a resent PUBLISH is not delivered again. */
  #qos2 = new Set<number>();
  #topics = new Map<string, Uint8Array>();
  #flushQueued = false;
  /** Read time of the chunk being delivered. */
  #chunkAt = 0;
  /** Outstanding `pause` calls. */
  #pauses = 0;
  #wrote = false;
  #pingPending = false;
  #keepalive: ReturnType<typeof setInterval> | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves `end` once the socket is closed. */
  #onEnded: (() => void) | undefined;

  constructor(options: MqttClientOptions, events: MqttClientEvents) {
    this.#o = options;
    this.#ev = events;
    this.#decoder = new PublishDecoder(options.protocolVersion);
    this.#open();
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** True while connected and the socket takes more bytes: a qos 0 publish may go now. */
  get canWrite(): boolean {
    return this.#connected && !this.#congested;
  }

  subscribe(filter: string, qos: Qos, subscriptionId: number | undefined, cb: AckCallback): void {
    if (!this.#connected) return cb(new Error(CLOSED));
    const messageId = this.#track(cb);
    this.#send({
      cmd: "subscribe",
      messageId,
      subscriptions: [{ topic: filter, qos }],
      ...(subscriptionId !== undefined
        ? { properties: { subscriptionIdentifier: subscriptionId } }
        : {}),
    });
  }

  unsubscribe(filter: string, cb: AckCallback): void {
    if (!this.#connected) return cb(new Error(CLOSED));
    this.#send({
      cmd: "unsubscribe",
      messageId: this.#track(cb),
      unsubscriptions: [filter],
    });
  }

  /**
   * Stops delivering messages (and reading the socket) until as many `resume` calls: the
   * backpressure of full rule buffers. Acks and other packets still flow out.
   */
  pause(): void {
    if (this.#pauses++ === 0) this.#transport?.pause();
  }

  resume(): void {
    if (this.#pauses === 0 || --this.#pauses > 0) return;
    this.#transport?.resume();
    // Messages read before the pause took effect; not from inside the caller's turn.
    queueMicrotask(() => {
      if (this.#pauses === 0 && this.#transport) this.#onData(EMPTY);
    });
  }

  /**
   * Publishes. qos 0 is written with this turn's other packets and `cb` is called at once;
   * qos 1/2 call `cb` on PUBACK/PUBCOMP, or with an error when the connection drops first.
   */
  publish(
    topic: string,
    payload: Uint8Array,
    qos: Qos,
    retain: boolean,
    userProperties: Record<string, string | string[]> | undefined,
    cb?: AckCallback,
  ): void {
    if (!this.#connected) return cb?.(new Error(CLOSED));
    const messageId = qos > 0 ? this.#track(cb) : 0;
    const props = this.#o.protocolVersion !== 5
      ? undefined
      : userProperties
      ? encodeProperties({ userProperties })
      : NO_PROPERTIES;
    this.#writer.publish(this.#topicBytes(topic), payload, qos, retain, messageId, props);
    this.#queueFlush();
    if (qos === 0) cb?.(undefined);
  }

  /**
   * Disconnects for good: waits (up to a grace period) for in-flight acks, sends DISCONNECT
   * and resolves once the socket is closed. Operations still in flight then fail.
   */
  end(): Promise<void> {
    return this.#ending ??= this.#end();
  }

  #ending: Promise<void> | undefined;

  #end(): Promise<void> {
    this.#ended = true;
    clearTimeout(this.#reconnectTimer);
    const closed = new Promise<void>((resolve) => this.#onEnded = resolve);
    if (!this.#transport) {
      this.#onClose(undefined);
      return closed;
    }
    const t = this.#transport;
    const force = setTimeout(() => t.destroy(), END_GRACE_MS * 2);
    const disconnect = () => {
      if (this.#transport !== t) return;
      this.#writer.raw(DISCONNECT);
      this.#flush();
      t.end();
    };
    if (!this.#connected) {
      t.destroy();
    } else if (this.#inFlight.size === 0) {
      disconnect();
    } else {
      const giveUp = setTimeout(disconnect, END_GRACE_MS);
      this.#whenIdle = () => {
        clearTimeout(giveUp);
        disconnect();
      };
    }
    return closed.finally(() => clearTimeout(force));
  }

  /** Called when the last in-flight operation completes during `end`. */
  #whenIdle: (() => void) | undefined;

  #open(): void {
    this.#congested = false;
    let t: Transport;
    try {
      t = openTransport(this.#o.server, this.#o.tls, {
        open: () => this.#transport === t && this.#sendConnect(),
        data: (chunk) => this.#transport === t && this.#onData(chunk),
        drain: () => {
          if (this.#transport === t) this.#congested = false;
        },
        close: (e) => this.#transport === t && this.#onClose(e),
      });
    } catch (e) {
      this.#ev.error(e as Error);
      this.#onClose(undefined);
      return;
    }
    this.#transport = t;
    if (this.#pauses > 0) t.pause();
    this.#connectTimer = setTimeout(() => {
      this.#fail(new Error(`connack timeout after ${this.#o.connectTimeoutMs} ms`));
    }, this.#o.connectTimeoutMs);
  }

  #sendConnect(): void {
    const o = this.#o;
    this.#send({
      cmd: "connect",
      protocolId: o.protocolVersion === 3 ? "MQIsdp" : "MQTT",
      protocolVersion: o.protocolVersion,
      clientId: o.clientId,
      clean: true,
      keepalive: o.keepaliveS,
      username: o.username,
      password: o.password,
    });
  }

  #onData(chunk: Uint8Array): void {
    if (this.#pauses > 0) return this.#reader.append(chunk);
    this.#chunkAt = Date.now();
    try {
      this.#reader.push(chunk, this.#onFrame);
    } catch (e) {
      this.#fail(
        e instanceof MqttProtocolError
          ? new Error(`mqtt protocol error: ${e.message}`)
          : e as Error,
      );
    }
  }

  #onFrame = (buf: Uint8Array, frame: number, body: number, end: number): boolean => {
    const first = buf[frame];
    const type = first >> 4;
    if (type === PUBLISH) {
      if (this.#pauses > 0) return false;
      this.#onPublish(first, buf, body, end);
    } else if (type >= PUBACK && type <= PUBCOMP) {
      if (end - body < 2) throw new MqttProtocolError("acknowledgement without packet id");
      const id = (buf[body] << 8) | buf[body + 1];
      // MQTT 5 may add a reason code; 0x80 and above is a failure.
      this.#onAck(type, id, end - body > 2 ? buf[body + 2] : 0);
    } else if (type === 13) { // PINGRESP
      this.#pingPending = false;
    } else if (type === CONNACK || type === 9 || type === 11 || type === 14 || type === 15) {
      // CONNACK, SUBACK, UNSUBACK, DISCONNECT, AUTH
      const opts = { protocolVersion: this.#o.protocolVersion };
      this.#onControl(decodeFrame(buf, frame, body, end, opts));
    } else {
      throw new MqttProtocolError(`unexpected packet type ${type} from the broker`);
    }
    return true;
  };

  #onPublish(first: number, buf: Uint8Array, body: number, end: number): void {
    if (!this.#connected) throw new MqttProtocolError("PUBLISH before CONNACK");
    const msg = this.#decoder.decode(first, buf, body, end, this.#chunkAt);
    const id = msg.messageId;
    if (msg.qos === 2) {
      const again = this.#qos2.has(id);
      this.#writer.ack(PUBREC, id);
      this.#queueFlush();
      if (again) return;
      this.#qos2.add(id);
    }
    try {
      this.#ev.message(msg);
    } catch (e) {
      this.#ev.error(e as Error); // a subscriber's fault, not the connection's
    }
    if (msg.qos === 1) {
      this.#writer.ack(PUBACK, id);
      this.#queueFlush();
    }
  }

  #onAck(type: number, id: number, reason: number): void {
    if (type === PUBREL) {
      this.#qos2.delete(id);
      this.#writer.ack(PUBCOMP, id);
      this.#queueFlush();
      return;
    }
    if (type === PUBREC && reason < 0x80) {
      this.#writer.ack(PUBREL, id);
      this.#queueFlush();
      return;
    }
    this.#settle(
      id,
      reason >= 0x80
        ? new Error(`broker refused the publish (reason 0x${reason.toString(16)})`)
        : undefined,
    );
  }

  #onControl(p: Packet): void {
    switch (p.cmd) {
      case "connack": {
        clearTimeout(this.#connectTimer);
        const code = p.reasonCode ?? p.returnCode ?? 0;
        if (code !== 0) {
          return this.#fail(new Error(`Connection refused: ${connackReason(code)}`));
        }
        this.#connected = true;
        this.#startKeepalive();
        this.#ev.connect(p.properties);
        return;
      }
      case "suback":
        return this.#settle(p.messageId, undefined, p.granted);
      case "unsuback":
        return this.#settle(p.messageId, undefined);
      case "disconnect":
        return this.#fail(
          new Error(`broker disconnected (reason 0x${(p.reasonCode ?? 0).toString(16)})`),
        );
      default:
        return; // AUTH: no enhanced authentication is requested
    }
  }

  #track(cb: AckCallback | undefined): number {
    let id = this.#nextId;
    while (this.#inFlight.has(id)) id = id === 65535 ? 1 : id + 1;
    this.#nextId = id === 65535 ? 1 : id + 1;
    this.#inFlight.set(id, cb);
    return id;
  }

  #settle(id: number, err: Error | undefined, codes?: number[]): void {
    if (!this.#inFlight.has(id)) return; // a late ack after the operation failed
    const cb = this.#inFlight.get(id);
    this.#inFlight.delete(id);
    cb?.(err, codes);
    if (this.#inFlight.size === 0 && this.#whenIdle) {
      const f = this.#whenIdle;
      this.#whenIdle = undefined;
      f();
    }
  }

  #send(packet: Packet): void {
    this.#writer.raw(encodePacket(packet, this.#o.protocolVersion));
    this.#queueFlush();
  }

  #topicBytes(topic: string): Uint8Array {
    let b = this.#topics.get(topic);
    if (!b) {
      if (this.#topics.size >= TOPIC_CACHE) this.#topics.clear();
      b = new TextEncoder().encode(topic);
      this.#topics.set(topic, b);
    }
    return b;
  }

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushQueued = false;
    const t = this.#transport;
    if (!t || this.#writer.pending === 0) return;
    this.#wrote = true;
    if (!t.write(this.#writer.take())) this.#congested = true;
  }

  #startKeepalive(): void {
    const s = this.#o.keepaliveS;
    if (s <= 0) return;
    this.#pingPending = false;
    // Ticks at half the period, so that the broker hears from us within each period: nothing
    // written since the last tick, ping; no answer by the next tick, the link is dead.
    this.#keepalive = setInterval(() => {
      if (this.#pingPending) {
        return this.#fail(new Error(`no PINGRESP within ${s / 2} s`));
      }
      if (!this.#wrote) {
        this.#pingPending = true;
        this.#writer.raw(PINGREQ);
        this.#flush();
      }
      this.#wrote = false;
    }, s * 500);
  }

  /** Reports `e` and drops the socket; the close handler reconnects. */
  #fail(e: Error): void {
    this.#ev.error(e);
    this.#transport?.destroy();
  }

  #onClose(e: Error | undefined): void {
    if (e) this.#ev.error(e);
    clearTimeout(this.#connectTimer);
    clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    this.#transport = undefined;
    this.#connected = false;
    this.#reader.reset();
    this.#writer.clear();
    this.#qos2.clear();
    this.#whenIdle = undefined;
    const failed = [...this.#inFlight.values()];
    this.#inFlight.clear();
    for (const cb of failed) cb?.(new Error(CLOSED));
    this.#ev.close();
    if (this.#ended) {
      this.#onEnded?.();
      return;
    }
    this.#reconnectTimer = setTimeout(() => {
      if (this.#ended) return;
      this.#ev.reconnect();
      this.#open();
    }, this.#o.reconnectPeriodMs);
  }
}

/** CONNACK return codes (3.1.1) and reason codes (5) in words. */
function connackReason(code: number): string {
  switch (code) {
    case 1:
      return "Unacceptable protocol version";
    case 2:
      return "Identifier rejected";
    case 3:
      return "Server unavailable";
    case 4:
    case 0x86:
      return "Bad username or password";
    case 5:
    case 0x87:
      return "Not authorized";
    case 0x84:
      return "Unsupported protocol version";
    case 0x85:
      return "Client identifier not valid";
    case 0x88:
      return "Server unavailable";
    case 0x89:
      return "Server busy";
    case 0x8a:
      return "Banned";
    default:
      return `reason code 0x${code.toString(16)}`;
  }
}
