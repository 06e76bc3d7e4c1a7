/**
 * A client session: its subscriptions, the outbound QoS 1/2 flows it has in flight, the
 * messages queued behind them, and the inbound QoS 2 ids awaiting PUBREL. A session outlives
 * its connection when the client asked for a persistent one (kept in memory only).
 *
 * Memory per session is bounded: at most `maxInflight` unacknowledged QoS 1/2 messages (less
 * if the client's MQTT 5 receive maximum says so) and `maxQueued` waiting behind them; QoS 0
 * messages are dropped while the socket's write buffer is over `maxWriteBuffer`. Every drop
 * is counted.
 *
 * @module
 */
import { encodePacket, type QoS } from "../mqtt_codec/mod.ts";
import { compact, encodePublish, type Message, withPacketId } from "./message.ts";

/** The connection a session is attached to, as the session sees it. */
export interface Link {
  readonly v5: boolean;
  send(buf: Uint8Array): void;
  /** Bytes accepted by the socket but not yet written to the network. */
  backlog(): number;
}

export interface SubOptions {
  qos: QoS;
  /** MQTT 5 No Local: not delivered the subscriber's own messages. */
  nl: boolean;
  /** MQTT 5 Retain As Published: keep the retain flag on live delivery. */
  rap: boolean;
  /** MQTT 5 Retain Handling: 0 send retained, 1 only for a new subscription, 2 never. */
  rh: number;
}

export interface SessionLimits {
  maxInflight: number;
  maxQueued: number;
  maxWriteBuffer: number;
}

export interface Counters {
  messagesOut: number;
  dropped: number;
}

interface Outbound {
  msg: Message;
  qos: 1 | 2;
  retain: boolean;
  id: number;
  /** QoS 2: PUBREC received, PUBREL sent, awaiting PUBCOMP. */
  released: boolean;
}

/** Session expiry meaning "never" (MQTT 5 value; used for MQTT 3.1.1 clean=false too). */
export const NEVER_EXPIRES = 0xffffffff;

export class Session {
  readonly subs = new Map<string, SubOptions>();
  link: Link | null = null;
  /** Seconds the session outlives its connection: 0 = ends with it. */
  expiry = 0;
  expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Inbound QoS 2 ids already routed and PUBREC'd: a re-sent PUBLISH is not routed twice. */
  readonly inboundQos2 = new Set<number>();

  // Scratch for routing one message (see Broker): kept on the session so that merging
  // overlapping subscriptions allocates nothing per message.
  epoch = 0;
  matchQos: QoS = 0;
  matchRap = false;

  #inflight = new Map<number, Outbound>();
  #queue: Outbound[] = [];
  #head = 0; // #queue[#head] is the oldest; shifting a long array on every send is O(n)
  #window: number;
  #lastId = 0;

  constructor(
    readonly clientId: string,
    private readonly limits: SessionLimits,
    private readonly counters: Counters,
  ) {
    this.#window = limits.maxInflight;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  /** Delivers (or queues) `msg` at `qos` with the given retain flag. */
  deliver(msg: Message, qos: QoS, retain: boolean): void {
    const link = this.link;
    if (qos === 0) {
      // QoS 0 is not queued for offline sessions, and is shed when the client can't keep up.
      if (!link) return;
      if (link.backlog() > this.limits.maxWriteBuffer) {
        this.counters.dropped++;
        return;
      }
      link.send(encodePublish(msg, link.v5, 0, retain));
      this.counters.messagesOut++;
      return;
    }
    compact(msg); // kept until acknowledged
    const out: Outbound = { msg, qos, retain, id: 0, released: false };
    if (link && this.queued === 0 && this.#inflight.size < this.#window) {
      this.#send(link, out);
    } else if (this.queued < this.limits.maxQueued) {
      this.#queue.push(out);
    } else {
      this.counters.dropped++;
    }
  }

  /** Attaches a (new) connection: re-sends what is unacknowledged, then the queue. */
  attach(link: Link, receiveMaximum: number | undefined): void {
    this.link = link;
    this.#window = Math.max(1, Math.min(this.limits.maxInflight, receiveMaximum ?? 65535));
    for (const out of this.#inflight.values()) {
      if (out.released) link.send(pubrel(out.id, link.v5));
      else {
        link.send(withPacketId(encodePublish(out.msg, link.v5, out.qos, out.retain), out.id, true));
        this.counters.messagesOut++;
      }
    }
    this.#drain();
  }

  detach(): void {
    this.link = null;
  }

  onPuback(id: number): void {
    const out = this.#inflight.get(id);
    if (out?.qos !== 1) return;
    this.#inflight.delete(id);
    this.#drain();
  }

  onPubrec(id: number, reasonCode = 0): void {
    const out = this.#inflight.get(id);
    // An MQTT 5 failure code on PUBREC ends the flow without PUBREL.
    if (out && reasonCode >= 0x80) {
      this.#inflight.delete(id);
      this.#drain();
      return;
    }
    if (out?.qos === 2) out.released = true;
    // Answer even an unknown id so that the client can complete its side.
    this.link?.send(pubrel(id, this.link.v5));
  }

  onPubcomp(id: number): void {
    if (!this.#inflight.get(id)?.released) return;
    this.#inflight.delete(id);
    this.#drain();
  }

  /** Forgets all message state (session discarded). */
  clear(): void {
    this.#inflight.clear();
    this.#queue = [];
    this.#head = 0;
    this.inboundQos2.clear();
  }

  #drain(): void {
    const link = this.link;
    if (!link) return;
    while (this.#head < this.#queue.length && this.#inflight.size < this.#window) {
      const out = this.#queue[this.#head];
      this.#queue[this.#head++] = undefined as unknown as Outbound; // release for GC
      this.#send(link, out);
    }
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #send(link: Link, out: Outbound): void {
    if (out.msg.expiresAt && Date.now() >= out.msg.expiresAt) {
      this.counters.dropped++;
      return;
    }
    out.id = this.#nextId();
    this.#inflight.set(out.id, out);
    link.send(withPacketId(encodePublish(out.msg, link.v5, out.qos, out.retain), out.id, false));
    this.counters.messagesOut++;
  }

  #nextId(): number {
    // The window is far below 65535, so a free id is always near.
    do {
      this.#lastId = this.#lastId === 0xffff ? 1 : this.#lastId + 1;
    } while (this.#inflight.has(this.#lastId));
    return this.#lastId;
  }
}

function pubrel(id: number, v5: boolean): Uint8Array {
  return encodePacket({ cmd: "pubrel", messageId: id, reasonCode: 0 }, v5 ? 5 : 4);
}
