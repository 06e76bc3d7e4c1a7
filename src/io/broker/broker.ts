/**
 * The broker: a TCP listener (`platform/tcp.ts`: the runtime's own sockets), one
 * {@link Connection} per socket speaking MQTT 3.1.1 or 5 (framed by `FrameReader`, packets read
 * and written by `../mqtt_codec/`), sessions by client id, and routing of PUBLISH through the
 * subscription trie and the retained store.
 *
 * Writes are coalesced by the socket: a burst of messages read in one chunk leaves in one
 * write per subscriber instead of one per message.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { listenTcp, type TcpEvents, type TcpListener, type TcpSocket } from "../../platform/tcp.ts";
import { FrameReader, PacketTooLargeError } from "../connections/mqtt_wire.ts";
import {
  type ConnectPacket,
  decodeFrame,
  type DecodeOptions,
  type DisconnectPacket,
  encodePacket,
  type Packet,
  type PublishPacket,
  type SubscribePacket,
  type UnsubscribePacket,
} from "../mqtt_codec/mod.ts";
import { logger } from "../../log.ts";
import { compact, makeMessage, type Message, withRemainingExpiry } from "./message.ts";
import { RetainedStore } from "./retained.ts";
import { type Link, NEVER_EXPIRES, Session, type SubOptions } from "./session.ts";
import { TopicTree, validFilter, validTopic } from "./topic_tree.ts";

const log = logger("mqtt-broker");

export interface BrokerOptions {
  host: string;
  /** 0 = an ephemeral port; read the actual one from `Broker.port`. */
  port: number;
  /** Socket write-buffer size past which QoS 0 messages to that client are dropped. 8 MiB. */
  maxWriteBuffer?: number;
  /** Unacknowledged QoS 1/2 messages per client. 100. */
  maxInflight?: number;
  /** QoS 1/2 messages queued per client behind the in-flight ones (or while offline). 1000. */
  maxQueued?: number;
  /** Largest packet accepted; a client sending a larger one is disconnected. 16 MiB. */
  maxPacketSize?: number;
  /** Time a new socket has to send CONNECT. 10 s. */
  connectTimeoutMs?: number;
}

export interface BrokerStats {
  /** Connected clients (CONNECT accepted). */
  clients: number;
  /** (topic filter, session) pairs, persistent offline sessions included. */
  subscriptions: number;
  /** PUBLISH packets received from clients. */
  messagesIn: number;
  /** PUBLISH packets sent to clients. */
  messagesOut: number;
  /** Messages not delivered: slow subscriber (QoS 0), full queue (QoS 1/2), expired. */
  dropped: number;
  /** Retained messages stored. */
  retained: number;
}

// MQTT 5 reason codes the broker sends.
const RC = {
  malformed: 0x81,
  protocolError: 0x82,
  shuttingDown: 0x8b,
  keepAliveTimeout: 0x8d,
  takenOver: 0x8e,
  filterInvalid: 0x8f,
  topicInvalid: 0x90,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
  sharedNotSupported: 0x9e,
  noSubscriptionExisted: 0x11,
  disconnectWithWill: 0x04,
} as const;

const PINGRESP = encodePacket({ cmd: "pingresp" });
/** setTimeout's ceiling (~24.8 days); longer session expiries are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One client socket. The session (if CONNECT was accepted) sees it as a {@link Link}. */
class Connection implements Link {
  v5 = false;
  session: Session | null = null;
  /** Published if the connection ends without DISCONNECT. */
  will: Message | null = null;
  /** No more packets are processed (DISCONNECT received, or the broker is closing it). */
  dead = false;
  lastSeen = Date.now();
  keepaliveMs = 0;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly reader: FrameReader;
  /** How packets are read: 3.1.1 until CONNECT says otherwise. */
  decoding: DecodeOptions = { protocolVersion: 4 };
  readonly label: string;

  constructor(readonly socket: TcpSocket, maxPacketSize: number) {
    this.reader = new FrameReader(maxPacketSize);
    this.label = socket.remote;
  }

  send(buf: Uint8Array): void {
    // Routing may still reach a connection being closed: the socket then drops the bytes.
    this.socket.write(buf);
  }

  backlog(): number {
    return this.socket.unsent;
  }

  /** The protocol version packets are encoded for (3.1 clients get 3.1.1's encodings). */
  get version(): 4 | 5 {
    return this.v5 ? 5 : 4;
  }
}

export class Broker {
  #listener: TcpListener | null = null;
  readonly #conns = new Set<Connection>();
  readonly #sessions = new Map<string, Session>();
  readonly #tree = new TopicTree<Session, SubOptions>();
  readonly #retained = new RetainedStore<Message>();
  readonly #counters = { messagesIn: 0, messagesOut: 0, dropped: 0 };
  readonly #limits;
  readonly #maxPacketSize: number;
  readonly #connectTimeoutMs: number;
  #clients = 0;
  #closing: Promise<void> | null = null;
  #onEmpty: (() => void) | null = null;

  // Routing scratch (see #collect).
  #epoch = 0;
  #from: Session | null = null;
  #targets: Session[] = [];
  #routing = false;

  host: string;
  port: number;

  constructor(opts: BrokerOptions) {
    this.host = opts.host;
    this.port = opts.port;
    this.#limits = {
      maxInflight: Math.min(opts.maxInflight ?? 100, 65535),
      maxQueued: opts.maxQueued ?? 1000,
      maxWriteBuffer: opts.maxWriteBuffer ?? 8 * 1024 * 1024,
    };
    this.#maxPacketSize = opts.maxPacketSize ?? 16 * 1024 * 1024;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  }

  /** Starts listening; throws with `code: "EADDRINUSE"` when the port is taken. */
  listen(): void {
    try {
      this.#listener = listenTcp({
        host: this.host,
        port: this.port,
        accept: (socket) => this.#accept(socket),
        acceptError: (err) => log.error(`cannot accept a connection: ${err.message}`),
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const msg = code === "EADDRINUSE"
        ? `MQTT broker: ${this.host}:${this.port} is already in use (EADDRINUSE)`
        : `MQTT broker: cannot listen on ${this.host}:${this.port}: ${(err as Error).message}`;
      const e = new Error(msg, { cause: err }) as Error & { code?: string };
      e.code = code;
      throw e;
    }
    this.port = this.#listener.port;
    log.info(`listening on ${this.host}:${this.port}`);
  }

  stats(): BrokerStats {
    return {
      clients: this.#clients,
      subscriptions: this.#tree.size,
      messagesIn: this.#counters.messagesIn,
      messagesOut: this.#counters.messagesOut,
      dropped: this.#counters.dropped,
      retained: this.#retained.size,
    };
  }

  /** Ends every connection (MQTT 5 clients are told why), then the server. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    for (const s of this.#sessions.values()) clearTimeout(s.expiryTimer);
    const open = [...this.#conns];
    for (const c of open) {
      if (c.session && c.v5) {
        c.send(encodePacket({ cmd: "disconnect", reasonCode: RC.shuttingDown }, 5));
      }
      c.dead = true;
      clearTimeout(c.timer);
      c.socket.end();
    }
    if (this.#conns.size > 0) {
      // Give clients a moment to close their side; then cut whoever is left.
      let grace: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#onEmpty = resolve;
        grace = setTimeout(resolve, 500);
      });
      clearTimeout(grace);
      this.#onEmpty = null;
      for (const c of this.#conns) c.socket.destroy();
    }
    await this.#listener?.close();
    log.info(`closed ${this.host}:${this.port}`);
  }

  // ---- connections ------------------------------------------------------------------------

  #accept(socket: TcpSocket): Omit<TcpEvents, "open"> {
    if (this.#closing) {
      socket.destroy();
      return { data() {}, drain() {}, close() {} };
    }
    const c = new Connection(socket, this.#maxPacketSize);
    this.#conns.add(c);
    // Decoding errors are the client's malformed packets; errors past decoding, protocol errors.
    const onFrame = (buf: Uint8Array, frame: number, body: number, end: number): boolean => {
      if (c.dead) return false;
      const p = decodeFrame(buf, frame, body, end, c.decoding);
      // Later packets are read as the version CONNECT announced.
      if (p.cmd === "connect") {
        c.decoding = { protocolVersion: p.protocolVersion ?? 4, bridgeMode: p.bridgeMode };
      }
      try {
        this.#onPacket(c, p);
      } catch (err) {
        this.#drop(c, `error handling ${p.cmd}: ${(err as Error).message}`, RC.protocolError);
      }
      return true;
    };
    c.timer = setTimeout(() => this.#checkAlive(c), this.#connectTimeoutMs);
    return {
      data: (chunk) => {
        if (c.dead) return;
        c.lastSeen = Date.now();
        try {
          c.reader.push(chunk, onFrame);
        } catch (err) {
          if (err instanceof PacketTooLargeError) {
            this.#drop(c, `packet too large: ${err.message}`, RC.packetTooLarge);
          } else this.#drop(c, `malformed packet: ${(err as Error).message}`, RC.malformed);
        }
      },
      // Slow subscribers are handled by dropping (Session, `maxWriteBuffer`), not by waiting.
      drain() {},
      close: (err) => {
        if (err) log.debug(`${c.label}: socket error: ${err.message}`);
        this.#closed(c);
      },
    };
  }

  /** Server-side close of one client (protocol error, timeout, takeover): that client only. */
  #drop(c: Connection, why: string, reasonCode: number): void {
    if (c.dead) return;
    const who = c.session ? `client ${c.session.clientId}` : c.label;
    if (reasonCode === RC.takenOver || reasonCode === RC.keepAliveTimeout) {
      log.info(`${who}: ${why}`);
    } else log.warn(`${who}: ${why}; closing`);
    c.dead = true;
    if (c.v5 && (c.session || reasonCode === RC.takenOver)) {
      c.send(encodePacket({ cmd: "disconnect", reasonCode }, 5));
    }
    c.socket.end();
    // A peer that never reads would keep the socket half-closed forever.
    clearTimeout(c.timer);
    c.timer = setTimeout(() => c.socket.destroy(), 1000);
  }

  #checkAlive(c: Connection): void {
    if (!c.session) {
      this.#drop(c, `no CONNECT within ${this.#connectTimeoutMs} ms`, RC.protocolError);
      return;
    }
    const idle = Date.now() - c.lastSeen;
    if (idle >= c.keepaliveMs) {
      this.#drop(c, `keep-alive timeout (${idle} ms silent)`, RC.keepAliveTimeout);
    } else {
      // One timer per connection, re-armed once per keep-alive period rather than per packet.
      c.timer = setTimeout(() => this.#checkAlive(c), c.keepaliveMs - idle);
    }
  }

  #closed(c: Connection): void {
    c.dead = true;
    clearTimeout(c.timer);
    this.#conns.delete(c);
    const s = c.session;
    if (s) {
      c.session = null;
      this.#clients--;
      log.debug(`client ${s.clientId} disconnected`);
      if (c.will && !this.#closing) this.#route(c.will, s);
      c.will = null;
      if (s.link === c) {
        s.detach();
        this.#expire(s);
      }
    }
    if (this.#conns.size === 0) this.#onEmpty?.();
  }

  // ---- sessions ---------------------------------------------------------------------------

  #expire(s: Session): void {
    if (s.expiry === 0 || this.#closing) {
      this.#discard(s);
    } else if (s.expiry !== NEVER_EXPIRES) {
      s.expiryTimer = setTimeout(() => {
        if (!s.link) this.#discard(s);
      }, Math.min(s.expiry * 1000, MAX_TIMER_MS));
    }
  }

  #discard(s: Session): void {
    clearTimeout(s.expiryTimer);
    for (const filter of s.subs.keys()) this.#tree.remove(filter, s);
    s.subs.clear();
    s.clear();
    if (this.#sessions.get(s.clientId) === s) this.#sessions.delete(s.clientId);
  }

  // ---- packets ----------------------------------------------------------------------------

  #onPacket(c: Connection, p: Packet): void {
    const s = c.session;
    if (!s) {
      if (p.cmd === "connect") this.#connect(c, p);
      else this.#drop(c, `${p.cmd} before CONNECT`, RC.protocolError);
      return;
    }
    switch (p.cmd) {
      case "publish":
        return this.#publish(c, s, p);
      case "puback":
        return s.onPuback(p.messageId);
      case "pubrec":
        return s.onPubrec(p.messageId, p.reasonCode);
      case "pubrel":
        s.inboundQos2.delete(p.messageId);
        return c.send(
          encodePacket({ cmd: "pubcomp", messageId: p.messageId, reasonCode: 0 }, c.version),
        );
      case "pubcomp":
        return s.onPubcomp(p.messageId);
      case "subscribe":
        return this.#subscribe(c, s, p);
      case "unsubscribe":
        return this.#unsubscribe(c, s, p);
      case "pingreq":
        return c.send(PINGRESP);
      case "disconnect":
        return this.#disconnect(c, s, p);
      default:
        // A second CONNECT, AUTH (no enhanced auth here), or server-to-client packets.
        return this.#drop(c, `unexpected ${p.cmd}`, RC.protocolError);
    }
  }

  #connect(c: Connection, p: ConnectPacket): void {
    c.v5 = p.protocolVersion === 5;
    let clientId = p.clientId;
    let assigned = false;
    if (!clientId) {
      // 3.1.1 assigns an id only to clean sessions; 3.1 never; 5 always may.
      if (p.protocolVersion === 3 || (!c.v5 && !p.clean)) {
        c.send(encodePacket({ cmd: "connack", returnCode: 2, sessionPresent: false }, 4));
        return this.#drop(c, "empty client id refused", 0);
      }
      clientId = `weir-${crypto.randomUUID()}`;
      assigned = c.v5;
    }
    if (p.will && !validTopic(p.will.topic)) {
      if (c.v5) {
        c.send(
          encodePacket({ cmd: "connack", reasonCode: RC.topicInvalid, sessionPresent: false }, 5),
        );
      }
      return this.#drop(c, `invalid will topic "${p.will.topic}"`, 0);
    }

    let s = this.#sessions.get(clientId);
    const old = s?.link as Connection | null | undefined;
    if (s && old) {
      // Client id takeover: the old connection ends as if it had dropped, so its will goes out.
      if (old.will) this.#route(old.will, s);
      old.will = null;
      old.session = null;
      this.#clients--;
      s.detach();
      this.#drop(old, "taken over by a new connection", RC.takenOver);
    }
    // MQTT 5 "clean start" and 3.1.1 "clean session" both discard a previous session.
    if (s && p.clean) {
      this.#discard(s);
      s = undefined;
    }
    const sessionPresent = s !== undefined;
    if (!s) {
      s = new Session(clientId, this.#limits, this.#counters);
      this.#sessions.set(clientId, s);
    }
    clearTimeout(s.expiryTimer);
    s.expiry = c.v5 ? p.properties?.sessionExpiryInterval ?? 0 : p.clean ? 0 : NEVER_EXPIRES;

    c.session = s;
    this.#clients++;
    if (p.will) {
      const { willDelayInterval: _, ...props } = p.will.properties ?? {};
      const payload = typeof p.will.payload === "string"
        ? Buffer.from(p.will.payload)
        : asBuffer(p.will.payload);
      c.will = makeMessage(
        p.will.topic,
        payload,
        p.will.qos ?? 0,
        p.will.retain ?? false,
        c.v5 ? props : undefined,
      );
    }
    clearTimeout(c.timer);
    c.timer = undefined;
    if (p.keepalive) {
      c.keepaliveMs = p.keepalive * 1500;
      c.timer = setTimeout(() => this.#checkAlive(c), c.keepaliveMs);
    }

    if (c.v5) {
      c.send(encodePacket({
        cmd: "connack",
        reasonCode: 0,
        sessionPresent,
        properties: {
          ...(assigned ? { assignedClientIdentifier: clientId } : {}),
          maximumPacketSize: this.#maxPacketSize,
          wildcardSubscriptionAvailable: true,
          subscriptionIdentifiersAvailable: false,
          sharedSubscriptionAvailable: false,
        },
      }, 5));
    } else {
      c.send(encodePacket({ cmd: "connack", returnCode: 0, sessionPresent }, 4));
    }
    log.debug(`client ${clientId} connected from ${c.label} (v${p.protocolVersion})`);
    s.attach(c, c.v5 ? p.properties?.receiveMaximum : undefined);
  }

  #publish(c: Connection, s: Session, p: PublishPacket): void {
    this.#counters.messagesIn++;
    if (p.properties?.topicAlias !== undefined) {
      // CONNACK announced no topic aliases (Topic Alias Maximum 0).
      return this.#drop(c, "topic alias used", RC.topicAliasInvalid);
    }
    if (!validTopic(p.topic)) return this.#drop(c, `invalid topic "${p.topic}"`, RC.topicInvalid);
    const id = p.messageId!;
    if (p.qos === 2) {
      if (s.inboundQos2.has(id)) {
        // Re-sent before our PUBREC arrived: already routed once.
        return c.send(encodePacket({ cmd: "pubrec", messageId: id, reasonCode: 0 }, c.version));
      }
      s.inboundQos2.add(id);
    }
    const msg = makeMessage(
      p.topic,
      asBuffer(p.payload as Uint8Array),
      p.qos,
      p.retain,
      c.v5 ? p.properties : undefined,
    );
    this.#route(msg, s);
    if (p.qos === 1) {
      c.send(encodePacket({ cmd: "puback", messageId: id, reasonCode: 0 }, c.version));
    } else if (p.qos === 2) {
      c.send(encodePacket({ cmd: "pubrec", messageId: id, reasonCode: 0 }, c.version));
    }
  }

  /** Stores it if retained, then delivers it once to each session with a matching filter. */
  #route(msg: Message, from: Session | null): void {
    if (this.#routing) {
      // Re-entered from a delivery side effect: the scratch state is in use, so go next.
      queueMicrotask(() => this.#route(msg, from));
      return;
    }
    if (msg.retain) {
      if (msg.payload.length === 0) this.#retained.delete(msg.topic);
      else {
        compact(msg);
        this.#retained.set(msg.topic, msg);
      }
    }
    this.#routing = true;
    try {
      this.#epoch++;
      this.#from = from;
      this.#tree.match(msg.topic, this.#collect);
      const targets = this.#targets;
      for (let i = 0; i < targets.length; i++) {
        const s = targets[i];
        // Live delivery clears the retain flag unless the subscription asked otherwise (v5 RAP).
        s.deliver(msg, s.matchQos < msg.qos ? s.matchQos : msg.qos, msg.retain && s.matchRap);
      }
    } finally {
      this.#targets.length = 0;
      this.#from = null;
      this.#routing = false;
    }
  }

  /** Merges overlapping subscriptions of one session: one delivery, at the highest QoS. */
  #collect = (s: Session, o: SubOptions): void => {
    if (o.nl && s === this.#from) return;
    if (s.epoch !== this.#epoch) {
      s.epoch = this.#epoch;
      s.matchQos = o.qos;
      s.matchRap = o.rap;
      this.#targets.push(s);
    } else {
      if (o.qos > s.matchQos) s.matchQos = o.qos;
      if (o.rap) s.matchRap = true;
    }
  };

  #subscribe(c: Connection, s: Session, p: SubscribePacket): void {
    const granted: number[] = [];
    const added: [string, SubOptions, boolean][] = [];
    for (const sub of p.subscriptions) {
      const filter = sub.topic;
      if (c.v5 && filter.startsWith("$share/")) {
        granted.push(RC.sharedNotSupported);
      } else if (!validFilter(filter)) {
        log.debug(`client ${s.clientId}: invalid filter "${filter}"`);
        granted.push(c.v5 ? RC.filterInvalid : 0x80);
      } else {
        const o: SubOptions = { qos: sub.qos, nl: !!sub.nl, rap: !!sub.rap, rh: sub.rh ?? 0 };
        const existed = s.subs.has(filter);
        s.subs.set(filter, o);
        this.#tree.add(filter, s, o);
        granted.push(sub.qos);
        added.push([filter, o, existed]);
      }
    }
    c.send(encodePacket({ cmd: "suback", messageId: p.messageId, granted }, c.version));
    // Retained messages follow the SUBACK, flagged retained, at min(their qos, granted qos).
    const now = Date.now();
    for (const [filter, o, existed] of added) {
      if (o.rh === 2 || (o.rh === 1 && existed)) continue;
      this.#retained.match(filter, (topic, m) => {
        if (m.expiresAt && now >= m.expiresAt) {
          this.#retained.delete(topic);
          return;
        }
        s.deliver(withRemainingExpiry(m, now), o.qos < m.qos ? o.qos : m.qos, true);
      });
    }
  }

  #unsubscribe(c: Connection, s: Session, p: UnsubscribePacket): void {
    const granted = p.unsubscriptions.map((filter) => {
      const existed = s.subs.delete(filter);
      if (existed) this.#tree.remove(filter, s);
      return existed ? 0 : RC.noSubscriptionExisted;
    });
    c.send(encodePacket({ cmd: "unsuback", messageId: p.messageId, granted }, c.version));
  }

  #disconnect(c: Connection, s: Session, p: DisconnectPacket): void {
    // MQTT 5 lets a client ask for its will to be published anyway.
    if (!(c.v5 && p.reasonCode === RC.disconnectWithWill)) c.will = null;
    const expiry = p.properties?.sessionExpiryInterval;
    if (c.v5 && expiry !== undefined) s.expiry = expiry;
    c.dead = true;
    c.socket.end();
  }
}

/** A Buffer over the same bytes (no copy): messages keep their payloads as Buffers. */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
