/**
 * mqtt-packet, as Weir uses it: for the rare packets (CONNECT, SUBSCRIBE, acks of the broker…)
 * that the hand-written hot path (`connections/mqtt_wire.ts`, `broker/message.ts`) leaves to it.
 *
 * Its number cache is turned off: on the first `generate` it would otherwise build 65,536
 * two-byte Buffers (~8 MB of heap, most of an idle Weir's JS heap) to save an allocation per
 * packet id, which only matters for PUBLISH, and PUBLISH does not go through it here.
 *
 * @module
 */
import mqttPacket from "mqtt-packet";

mqttPacket.writeToStream.cacheNumbers = false;

export default mqttPacket;
export type * from "mqtt-packet";
