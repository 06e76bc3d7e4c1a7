/**
 * The contracts of sources and sinks.
 *
 * Sources never call into operators: they hand raw messages to {@link SourceContext.emit},
 * which appends to a bounded buffer that the scheduler pulls from. A source that is pushed
 * data (MQTT, HTTP push, memory) calls `emit` from its I/O callbacks; `emit` returns false when
 * the buffer refused the message (full, under a reject policy), so an HTTP push endpoint can
 * answer 503. Sinks receive one item per emission (a row, or an array of rows when
 * `sendSingle` is false) already transformed and, for byte sinks, encoded.
 *
 * Each connector is a typed object literal ({@link SourceSpec} / {@link SinkSpec}) exported
 * from its own folder and listed in `src/io/mod.ts`.
 *
 * @module
 */
import type { Logger } from "../log.ts";
import type { Row, Tuple } from "../runtime/tuple.ts";
import type { StreamField } from "../sql/ast.ts";

/** One message as a source receives it. Byte sources set `payload`; row sources set `row`. */
export interface RawMessage {
  payload?: Uint8Array;
  /** Set when the message came in one read chunk with others (MQTT, `InboundPublish`): its
   * payload is `chunk[start, end)`, and `payload` a view of it made when asked for. Formats
   * with `decodeIn` read it there (text formats decode the chunk's text once for all). */
  chunk?: Uint8Array;
  start?: number;
  end?: number;
  row?: Row;
  /** Source metadata, readable through `meta(key)`: MQTT `topic`, `qos`, `messageId`... */
  meta?: Row;
  /** Arrival time, epoch ms. */
  timestamp: number;
  /**
   * A SHARED stream's message reaches every rule reading it: the first rule's decoder leaves
   * its result (or failure) here for the others, under a key naming stream, format and schema.
   * Two SHARED streams on one topic get the same message object: each keeps its own entry.
   */
  decoded?: DecodedPayload;
}

/** One stream's decoding of a message, and the next stream's (a short list, usually one). */
export interface DecodedPayload {
  key: string;
  value: Row | Row[] | Error;
  /** The tuples made of it, for rules that only read them and name the stream alike
   * (`emitter`): the tuple itself for one row (no list allocated per message), else a list. */
  tuples?: Tuple | Tuple[];
  emitter?: string;
  next: DecodedPayload | undefined;
}

export type ConnectionStatus = "connected" | "connecting" | "disconnected";

export interface SourceContext {
  readonly ruleId: string;
  readonly streamName: string;
  readonly logger: Logger;
  /** Hands one message to the stream's bounded buffer. False = refused (buffer full). */
  emit(msg: RawMessage): boolean;
  setConnectionStatus(status: ConnectionStatus, message?: string): void;
  /** Records an error in the source's metrics (exceptions_total, last_exception). */
  reportError(message: string): void;
  /** False while a buffer this source feeds is full. A source that reads at its own pace (a
   * file) waits until it is true again instead of having messages dropped. */
  canEmit?(): boolean;
  /**
   * For a source that can hold its peer (an MQTT socket): true when the last `emit` filled a
   * buffer, and the source should stop reading until `resume` is called. `resume` comes once
   * every such buffer has room again, or when a rule does not drain its buffer within a
   * moment (its sink is stuck): then that buffer drops its oldest messages, counted, rather
   * than stalling every rule on the connection.
   */
  pauseIfFull?(resume: () => void): boolean;
  /** A bounded source (a file read once) calls this after its last message: eKuiper's EOF,
   * after which a scan table is complete. */
  end?(): void;
}

/** Properties of a source instance: the confKey (default merged with the named key) plus the
 * stream options injected as props (`datasource`, `format`, `key`, ...), as eKuiper does. */
export type SourceProps = Record<string, unknown> & {
  datasource: string;
  format: string;
  /** The stream's declared columns; absent for a schemaless stream. Sources that build rows
   * themselves (file csv/json) name and convert columns with it. */
  schema?: StreamField[];
};

export interface Source {
  /** Connects and starts emitting. Resolves once subscribed/listening (or retrying in the
   * background: a source whose peer is down must keep retrying, not fail the rule). */
  open(ctx: SourceContext): Promise<void>;
  close(): Promise<void>;
}

export interface SourceSpec {
  type: string;
  /** "bytes": payloads are decoded by the stream FORMAT; "rows": the source yields rows. */
  payload: "bytes" | "rows";
  /** What the stream buffer does when full: refuse the new message (`emit` returns false, so a
   * push endpoint can answer 503) or drop the oldest one, counted as an exception. Default
   * "dropOldest". */
  overflow?: "reject" | "dropOldest";
  /** A pull source polls its peer every `props.intervalMs` (the parsed `interval`); push sources
   * (the default) get a downsampling ratelimit step instead when `interval` is set. */
  pull?: boolean;
  /** Throws an Error with a user-facing message when props are invalid. */
  validate?(props: SourceProps): void;
  create(props: SourceProps): Source;
}

export interface SinkContext {
  readonly ruleId: string;
  /** Instance name, `{type}_{actionIndex}` (e.g. `mqtt_0`). */
  readonly name: string;
  readonly logger: Logger;
  setConnectionStatus(status: ConnectionStatus, message?: string): void;
}

export interface SinkItem {
  /** The transformed result: one row (sendSingle) or the array of rows of one emission. */
  data: Row | Row[];
  /** The encoded payload, for byte sinks. */
  payload?: Uint8Array;
  /** Dynamic props (`"topic": "out/{{.id}}"`) rendered for this result by the sink node: prop
   * name -> value, `headers.<name>` for templated headers. Sinks prefer them to static props. */
  props?: Record<string, string>;
}

export interface Sink {
  connect(ctx: SinkContext): Promise<void>;
  /** Delivers one item. Rejects on failure (the sink node counts it and logs it). */
  collect(item: SinkItem): Promise<void>;
  /** An optional fast path: delivers the item at once, synchronously, when it can (true), or
   * leaves it to `collect` (false, or a throw: `collect` then reports the failure). Absent
   * when the sink never can (an MQTT sink at qos 1 or 2). */
  trySend?: (item: SinkItem) => boolean;
  close(): Promise<void>;
}

export interface SinkSpec {
  type: string;
  /** "bytes": the pipeline encodes items (format, default json); "rows": the sink takes rows. */
  payload: "bytes" | "rows";
  /** Throws an Error with a user-facing message when props are invalid. */
  validate?(props: Record<string, unknown>): void;
  create(props: Record<string, unknown>): Sink;
  /** Sinks made from equal props send through one connection to one place: a result that one
   * of them sends through `trySend` is sent as any of them would send it. Rules alike on a
   * SHARED stream then send their results through one of their sinks
   * (`runtime/routed_family.ts`). */
  sharedSend?: boolean;
}
