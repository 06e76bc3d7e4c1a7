/**
 * The built-in connectors, listed explicitly (no self-registration): adding one is one import
 * and one line here.
 *
 * @module
 */
import type { SinkSpec, SourceSpec } from "./types.ts";
import { mqttSource } from "./sources/mqtt/mod.ts";
import { httpPushSource } from "./sources/httppush/mod.ts";
import { memorySource } from "./sources/memory/mod.ts";
import { fileSource } from "./sources/file/mod.ts";
import { httpPullSource } from "./sources/httppull/mod.ts";
import { webSocketSource } from "./sources/websocket/mod.ts";
import { logSink } from "./sinks/log/mod.ts";
import { nopSink } from "./sinks/nop/mod.ts";
import { mqttSink } from "./sinks/mqtt/mod.ts";
import { restSink } from "./sinks/rest/mod.ts";
import { memorySink } from "./sinks/memory/mod.ts";
import { fileSink } from "./sinks/file/mod.ts";
import { webSocketSink } from "./sinks/websocket/mod.ts";

export type * from "./types.ts";
export { configurePushServer, pushServerAddress } from "./sources/httppush/server.ts";
export { memoryPubSub } from "./memory/pubsub.ts";
export { mqttPoolStats } from "./connections/mqtt_pool.ts";

export const sourceSpecs: Record<string, SourceSpec> = {
  [mqttSource.type]: mqttSource,
  [httpPushSource.type]: httpPushSource,
  [memorySource.type]: memorySource,
  [fileSource.type]: fileSource,
  [httpPullSource.type]: httpPullSource,
  [webSocketSource.type]: webSocketSource,
};

export const sinkSpecs: Record<string, SinkSpec> = {
  [logSink.type]: logSink,
  [nopSink.type]: nopSink,
  [mqttSink.type]: mqttSink,
  [restSink.type]: restSink,
  [memorySink.type]: memorySink,
  [fileSink.type]: fileSink,
  [webSocketSink.type]: webSocketSink,
};

/** The source spec for a stream TYPE (case-sensitive, as eKuiper), or undefined. */
export function getSourceSpec(type: string): SourceSpec | undefined {
  return Object.hasOwn(sourceSpecs, type) ? sourceSpecs[type] : undefined;
}

/** The sink spec for an action type, or undefined. */
export function getSinkSpec(type: string): SinkSpec | undefined {
  return Object.hasOwn(sinkSpecs, type) ? sinkSpecs[type] : undefined;
}
