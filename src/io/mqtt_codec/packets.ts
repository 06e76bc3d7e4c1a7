/**
 * MQTT control packets as objects (MQTT 3.1, 3.1.1 and 5), what `encode.ts` writes and
 * `decode.ts` reads. The shapes are mqtt.js's (`cmd`, `messageId`, `reasonCode`, `granted`,
 * camel-cased MQTT 5 property names ...), familiar to anyone who has used it; binary fields
 * are `Uint8Array` (a Node Buffer is one).
 *
 * @module
 */

export type QoS = 0 | 1 | 2;

/** 3 = MQTT 3.1 ("MQIsdp"), 4 = 3.1.1, 5 = 5.0. */
export type ProtocolVersion = 3 | 4 | 5;

/** MQTT 5 user properties: a name sent more than once has all its values, in order. */
export type UserProperties = Record<string, string | string[]>;

export interface ConnectProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  requestResponseInformation?: boolean;
  requestProblemInformation?: boolean;
  userProperties?: UserProperties;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
}

export interface WillProperties {
  willDelayInterval?: number;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperties;
}

export interface Will {
  topic: string;
  payload: Uint8Array | string;
  qos?: QoS;
  retain?: boolean;
  properties?: WillProperties;
}

export interface ConnectPacket {
  cmd: "connect";
  /** "MQIsdp" for 3.1, "MQTT" otherwise (the default). */
  protocolId?: "MQTT" | "MQIsdp";
  /** Default 4 when encoding. */
  protocolVersion?: ProtocolVersion;
  /** A bridge connecting (mosquitto's `try_private`): bit 7 of the version byte. */
  bridgeMode?: boolean;
  clientId: string;
  /** Clean session (3.1.1) or clean start (5). Default true when encoding. */
  clean?: boolean;
  /** Seconds; 0 (the default) disables keep-alive. */
  keepalive?: number;
  username?: string;
  password?: Uint8Array | string;
  will?: Will;
  properties?: ConnectProperties;
}

export interface ConnackProperties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumQoS?: number;
  retainAvailable?: boolean;
  maximumPacketSize?: number;
  assignedClientIdentifier?: string;
  topicAliasMaximum?: number;
  reasonString?: string;
  userProperties?: UserProperties;
  wildcardSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  serverKeepAlive?: number;
  responseInformation?: string;
  serverReference?: string;
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
}

export interface ConnackPacket {
  cmd: "connack";
  sessionPresent: boolean;
  /** 3.1/3.1.1 return code. */
  returnCode?: number;
  /** MQTT 5 reason code. */
  reasonCode?: number;
  properties?: ConnackProperties;
}

export interface PublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: UserProperties;
  /** Several when several subscriptions of the receiver matched. */
  subscriptionIdentifier?: number | number[];
  contentType?: string;
}

export interface PublishPacket {
  cmd: "publish";
  topic: string;
  /** Decoded: a view into the bytes read. */
  payload: Uint8Array | string;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Required for qos 1 and 2. */
  messageId?: number;
  properties?: PublishProperties;
}

/** Properties of the acknowledgements and of UNSUBSCRIBE. */
export interface AckProperties {
  reasonString?: string;
  userProperties?: UserProperties;
}

export interface PubackPacket {
  cmd: "puback" | "pubrec" | "pubrel" | "pubcomp";
  messageId: number;
  /** MQTT 5; 0 (success) when absent on the wire. */
  reasonCode?: number;
  properties?: AckProperties;
}

export interface Subscription {
  /** The topic filter. */
  topic: string;
  qos: QoS;
  /** MQTT 5 No Local. */
  nl?: boolean;
  /** MQTT 5 Retain As Published. */
  rap?: boolean;
  /** MQTT 5 Retain Handling: 0 send retained, 1 only for a new subscription, 2 never. */
  rh?: number;
}

export interface SubscribeProperties {
  subscriptionIdentifier?: number;
  userProperties?: UserProperties;
}

export interface SubscribePacket {
  cmd: "subscribe";
  messageId: number;
  subscriptions: Subscription[];
  properties?: SubscribeProperties;
}

export interface SubackPacket {
  cmd: "suback";
  messageId: number;
  /** Per subscription: the granted qos, or a failure code (0x80 and above). */
  granted: number[];
  properties?: AckProperties;
}

export interface UnsubscribePacket {
  cmd: "unsubscribe";
  messageId: number;
  unsubscriptions: string[];
  properties?: AckProperties;
}

export interface UnsubackPacket {
  cmd: "unsuback";
  messageId: number;
  /** MQTT 5 reason codes, one per filter (3.1.1 has none). */
  granted?: number[];
  properties?: AckProperties;
}

export interface PingPacket {
  cmd: "pingreq" | "pingresp";
}

export interface DisconnectProperties {
  sessionExpiryInterval?: number;
  reasonString?: string;
  userProperties?: UserProperties;
  serverReference?: string;
}

export interface DisconnectPacket {
  cmd: "disconnect";
  /** MQTT 5; 0 when absent. */
  reasonCode?: number;
  properties?: DisconnectProperties;
}

export interface AuthProperties {
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  reasonString?: string;
  userProperties?: UserProperties;
}

/** MQTT 5 only. */
export interface AuthPacket {
  cmd: "auth";
  reasonCode?: number;
  properties?: AuthProperties;
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingPacket
  | DisconnectPacket
  | AuthPacket;

export type PacketCmd = Packet["cmd"];

/** Packet types by the number in the fixed header's high nibble. */
export const PACKET_TYPES: readonly (PacketCmd | undefined)[] = [
  undefined, // 0 is reserved
  "connect",
  "connack",
  "publish",
  "puback",
  "pubrec",
  "pubrel",
  "pubcomp",
  "subscribe",
  "suback",
  "unsubscribe",
  "unsuback",
  "pingreq",
  "pingresp",
  "disconnect",
  "auth",
];
