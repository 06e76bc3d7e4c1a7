/**
 * Weir's MQTT packet codec (MQTT 3.1, 3.1.1 and 5): packet objects to bytes and back, for
 * the MQTT client (`connections/mqtt_client.ts`) and the embedded broker (`broker/`), beside
 * their hand-written PUBLISH hot paths.
 *
 * ```ts
 * const sub = { topic: "a/#", qos: 1 } as const;
 * const bytes = encodePacket({ cmd: "subscribe", messageId: 1, subscriptions: [sub] }, 5);
 * const packet = decodePacket(bytes, { protocolVersion: 5 });
 * ```
 *
 * Why Weir's own: the npm codec mqtt.js uses brings CommonJS stream, buffer-list and debug
 * packages into the process, megabytes of an idle Weir's memory for a few packets per
 * connection. Its packet shapes and its bytes are kept (the tests compare with it, byte for
 * byte), so nothing changes on the wire.
 *
 * @module
 */
export * from "./packets.ts";
export { encodePacket } from "./encode.ts";
export { decodeFrame, type DecodeOptions, decodePacket } from "./decode.ts";
export { encodeProperties } from "./properties.ts";
