/**
 * The S1 workload and the MQTT ends of the benchmark (QoS 0, loopback, over the benchmark's own
 * lean client: see lean_mqtt.ts): a deterministic message set, a flood publisher and a
 * fixed-rate publisher, and a subscriber that counts what arrives (and, in latency mode, reads
 * each result's `ts`).
 */
import { prng } from "../../test/helpers/prng.ts";
import { setImmediate } from "node:timers";
import { LeanClient } from "./lean_mqtt.ts";

/** The benchmark's MQTT client (publisher, subscriber). */
export type BenchClient = LeanClient;

/** Epoch milliseconds with sub-millisecond precision (one clock for sender and receiver). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface Workload {
  n: number;
  temperature: Float64Array;
  humidity: Float64Array;
  /** How many messages have temperature > 30: the results the rule must produce. */
  expected: number;
}

export function makeWorkload(n: number, seed = 0x5eed): Workload {
  const rnd = prng(seed);
  const temperature = new Float64Array(n);
  const humidity = new Float64Array(n);
  let expected = 0;
  for (let i = 0; i < n; i++) {
    temperature[i] = Math.round((20 + 20 * rnd()) * 100) / 100; // 20.00 .. 40.00
    humidity[i] = Math.round((30 + 60 * rnd()) * 10) / 10; // 30.0 .. 90.0
    if (temperature[i] > 30) expected++;
  }
  return { n, temperature, humidity, expected };
}

export function payload(w: Workload, i: number, ts: number): string {
  return `{"id":${i % 100},"temperature":${w.temperature[i]},"humidity":${w.humidity[i]},` +
    `"ts":${ts}}`;
}

/** A message no run counts: it passes the rule's filter (temperature 99), id -1. */
export function warmupPayload(): string {
  return `{"id":-1,"temperature":99,"humidity":50,"ts":${Math.round(epochMs())}}`;
}

export function connect(url: string, clientId: string): Promise<BenchClient> {
  return LeanClient.connect(url, clientId);
}

const immediate = () => new Promise<void>((r) => setImmediate(r));

export interface PublishResult {
  /** performance.now() before the first publish. */
  startAt: number;
  /** performance.now() once the last message left the client's socket buffer. */
  endAt: number;
  sent: number;
}

/**
 * Publishes all messages as fast as the socket takes them: `yieldEvery` messages per turn
 * (written together), then a wait until the socket took them, and a turn of the event loop
 * for the subscriber's reads.
 */
export async function publishFlood(
  client: BenchClient,
  topic: string,
  w: Workload,
  yieldEvery = 500,
): Promise<PublishResult> {
  const startAt = performance.now();
  // `ts` is read once per turn: a clock reading per message was a tenth of the publisher's CPU.
  let ts = Math.round(epochMs());
  for (let i = 0; i < w.n; i++) {
    client.publish(topic, payload(w, i, ts), { qos: 0 });
    if (i % yieldEvery === yieldEvery - 1) {
      await client.drain();
      await immediate();
      ts = Math.round(epochMs());
    }
  }
  await client.drain();
  return { startAt, endAt: performance.now(), sent: w.n };
}

/**
 * Publishes at `rate` messages/s: every millisecond-ish timer turn sends the messages due by
 * then, each stamped with its own send time (`ts`, epoch ms with a fraction).
 */
export async function publishPaced(
  client: BenchClient,
  topic: string,
  w: Workload,
  rate: number,
): Promise<PublishResult> {
  const startAt = performance.now();
  let i = 0;
  while (i < w.n) {
    const due = Math.min(w.n, Math.floor((performance.now() - startAt) * rate / 1000) + 1);
    for (; i < due; i++) {
      const ts = Math.round(epochMs() * 1000) / 1000;
      client.publish(topic, payload(w, i, ts), { qos: 0 });
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await client.drain();
  return { startAt, endAt: performance.now(), sent: w.n };
}

/** `publishPaced` at `rate` msgs/s, or `publishFlood` without a rate. */
export function publishWorkload(
  client: BenchClient,
  topic: string,
  w: Workload,
  rate?: number,
): Promise<PublishResult> {
  return rate ? publishPaced(client, topic, w, rate) : publishFlood(client, topic, w);
}

const utf8 = new TextDecoder();

export interface Latency {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Counts messages on one topic; with `latency`, records now − ts of each result row. */
export class Counter {
  received = 0;
  /** performance.now() of the first and last message since the last reset. */
  firstAt = 0;
  lastAt = 0;
  latencies: number[] = [];
  /** Rows whose `ts` was missing (latency mode only). */
  missingTs = 0;

  constructor(readonly latency: boolean) {}

  reset(): void {
    this.received = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    this.latencies = [];
    this.missingTs = 0;
  }

  /** `readAt`: when the message was read (performance.now()); now when absent. */
  onMessage = (_topic: string, body: Uint8Array, readAt?: number): void => {
    const now = readAt ?? performance.now();
    if (this.received === 0) this.firstAt = now;
    this.received++;
    this.lastAt = now;
    if (!this.latency) return;
    const at = performance.timeOrigin + now;
    const v = JSON.parse(utf8.decode(body));
    for (const row of Array.isArray(v) ? v : [v]) {
      if (typeof row?.ts === "number") this.latencies.push(at - row.ts);
      else this.missingTs++;
    }
  };

  /** Percentiles of the recorded latencies (latency mode only). */
  latencySummary(): Latency | undefined {
    if (!this.latency) return undefined;
    const v = this.latencies.sort((a, b) => a - b);
    return {
      samples: v.length,
      p50Ms: percentile(v, 50),
      p90Ms: percentile(v, 90),
      p99Ms: percentile(v, 99),
      maxMs: v.length ? v[v.length - 1] : NaN,
    };
  }

  /**
   * Resolves once `expected` messages arrived, or when nothing arrived for `idleMs` after
   * `publishDone` settled, or at `capMs`: whichever comes first.
   */
  async waitFor(
    expected: number,
    publishDone: Promise<unknown>,
    idleMs: number,
    capMs: number,
  ): Promise<"complete" | "idle" | "cap"> {
    let published = false;
    publishDone.then(() => published = true, () => published = true);
    const cap = performance.now() + capMs;
    let lastCount = -1;
    let lastChange = performance.now();
    for (;;) {
      if (this.received >= expected) return "complete";
      const now = performance.now();
      if (this.received !== lastCount) {
        lastCount = this.received;
        lastChange = now;
      }
      if (published && now - Math.max(lastChange, this.lastAt) > idleMs) return "idle";
      if (now > cap) return "cap";
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Waits until no message arrived for `quietMs` (at most `capMs`). */
  async quiet(quietMs: number, capMs: number): Promise<void> {
    const cap = performance.now() + capMs;
    let last = this.received;
    let since = performance.now();
    while (performance.now() < cap) {
      await new Promise((r) => setTimeout(r, 20));
      if (this.received !== last) {
        last = this.received;
        since = performance.now();
      } else if (performance.now() - since >= quietMs) return;
    }
  }
}

export async function subscribe(
  url: string,
  clientId: string,
  topic: string,
  counter: Counter,
): Promise<BenchClient> {
  const client = await connect(url, clientId);
  client.on("message", counter.onMessage);
  await client.subscribeAsync(topic, { qos: 0 });
  return client;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
  return sorted[i];
}
