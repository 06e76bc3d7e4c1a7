/**
 * MQTT 5 properties (MQTT 5 section 2.2.2): the table of identifiers, names and value types,
 * and the property block (its length, then identifier-value pairs) both ways.
 *
 * Names are mqtt.js's. Any known property is accepted in any packet, as mqtt.js does:
 * receivers read the ones they know the meaning of there. A property may appear once, except
 * user properties (collected by name) and subscription identifiers (several make an array).
 *
 * @module
 */
import { type ByteReader, ByteWriter } from "./bytes.ts";

type ValueType =
  | "boolean" // a byte, 0 or 1
  | "byte"
  | "u16"
  | "u32"
  | "varint"
  | "string"
  | "binary"
  | "pair"; // user property: name and value strings

const TABLE: [id: number, name: string, type: ValueType][] = [
  [0x01, "payloadFormatIndicator", "boolean"],
  [0x02, "messageExpiryInterval", "u32"],
  [0x03, "contentType", "string"],
  [0x08, "responseTopic", "string"],
  [0x09, "correlationData", "binary"],
  [0x0b, "subscriptionIdentifier", "varint"],
  [0x11, "sessionExpiryInterval", "u32"],
  [0x12, "assignedClientIdentifier", "string"],
  [0x13, "serverKeepAlive", "u16"],
  [0x15, "authenticationMethod", "string"],
  [0x16, "authenticationData", "binary"],
  [0x17, "requestProblemInformation", "boolean"],
  [0x18, "willDelayInterval", "u32"],
  [0x19, "requestResponseInformation", "boolean"],
  [0x1a, "responseInformation", "string"],
  [0x1c, "serverReference", "string"],
  [0x1f, "reasonString", "string"],
  [0x21, "receiveMaximum", "u16"],
  [0x22, "topicAliasMaximum", "u16"],
  [0x23, "topicAlias", "u16"],
  [0x24, "maximumQoS", "byte"],
  [0x25, "retainAvailable", "boolean"],
  [0x26, "userProperties", "pair"],
  [0x27, "maximumPacketSize", "u32"],
  [0x28, "wildcardSubscriptionAvailable", "boolean"],
  [0x29, "subscriptionIdentifiersAvailable", "boolean"],
  [0x2a, "sharedSubscriptionAvailable", "boolean"],
];

interface Property {
  id: number;
  name: string;
  type: ValueType;
}

const BY_ID = new Map<number, Property>(TABLE.map(([id, name, type]) => [id, { id, name, type }]));
const BY_NAME = new Map<string, Property>(
  TABLE.map(([id, name, type]) => [name, { id, name, type }]),
);

/** A property block as an object: property name to value. */
type Properties = Record<string, unknown>;

/**
 * Reads a property block at the reader's position. Undefined when it is empty, as
 * mqtt.js leaves `properties` out then.
 */
export function readProperties(r: ByteReader, what = "properties"): Properties | undefined {
  const len = r.varInt(`length of ${what}`);
  if (len > r.left) throw r.error(`${what} run past the end of the packet`);
  const end = r.pos + len;
  const out: Properties = {};
  let any = false;
  while (r.pos < end) {
    const id = r.u8(what);
    const p = BY_ID.get(id);
    if (!p) throw r.error(`unknown property 0x${id.toString(16).padStart(2, "0")} in ${what}`);
    const v = readValue(r, p);
    if (r.pos > end) throw r.error(`property ${p.name} runs past the end of ${what}`);
    any = true;
    if (p.type === "pair") {
      const [name, value] = v as [string, string];
      // No prototype: a user property may be called "__proto__".
      const users = (out.userProperties ??= Object.create(null)) as Record<string, unknown>;
      const prev = users[name];
      if (prev === undefined) users[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else users[name] = [prev, value];
    } else if (!(p.name in out)) {
      out[p.name] = v;
    } else if (p.name === "subscriptionIdentifier") {
      const prev = out[p.name];
      if (Array.isArray(prev)) prev.push(v);
      else out[p.name] = [prev, v];
    } else {
      throw r.error(`property ${p.name} appears twice in ${what}`);
    }
  }
  return any ? out : undefined;
}

function readValue(r: ByteReader, p: Property): unknown {
  switch (p.type) {
    case "boolean": {
      const b = r.u8(p.name);
      if (b > 1) throw r.error(`property ${p.name} is ${b}, not 0 or 1`);
      return b === 1;
    }
    case "byte":
      return r.u8(p.name);
    case "u16":
      return r.u16(p.name);
    case "u32":
      return r.u32(p.name);
    case "varint":
      return r.varInt(p.name);
    case "string":
      return r.utf8(p.name);
    case "binary":
      return r.binary(p.name);
    case "pair":
      return [r.utf8("user property name"), r.utf8("user property value")];
  }
}

/**
 * Writes a property block: its length, then each property in the object's key order (an
 * array value writes the property once per element; undefined and null are skipped). Nothing
 * given writes the empty block. Throws TypeError for an unknown name or a value of the wrong
 * type.
 */
export function writeProperties(w: ByteWriter, props: object | undefined): void {
  const block = new ByteWriter();
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null) continue;
    const p = BY_NAME.get(name);
    if (!p) throw new TypeError(`unknown MQTT 5 property "${name}"`);
    for (const one of Array.isArray(value) ? value : [value]) writeOne(block, p, one);
  }
  w.varInt(block.length);
  w.raw(block.bytes());
}

/** A property block on its own, length included (a PUBLISH's, written beside the packet). */
export function encodeProperties(props: object | undefined): Uint8Array {
  const w = new ByteWriter();
  writeProperties(w, props);
  return w.bytes();
}

function writeOne(w: ByteWriter, p: Property, v: unknown): void {
  const bad = () => new TypeError(`invalid MQTT 5 property ${p.name}: ${String(v)}`);
  const int = (max: number) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw bad();
    return v;
  };
  if (p.type === "pair") {
    if (typeof v !== "object") throw bad();
    for (const [name, values] of Object.entries(v as object)) {
      for (const one of Array.isArray(values) ? values : [values]) {
        w.u8(p.id);
        w.utf8(name, "user property name");
        w.utf8(String(one), "user property value");
      }
    }
    return;
  }
  w.u8(p.id);
  switch (p.type) {
    case "boolean":
      if (typeof v !== "boolean") throw bad();
      return w.u8(v ? 1 : 0);
    case "byte":
      return w.u8(int(0xff));
    case "u16":
      return w.u16(int(0xffff));
    case "u32":
      return w.u32(int(0xffffffff));
    case "varint":
      return w.varInt(int(0x0fffffff));
    case "string":
      if (typeof v !== "string") throw bad();
      return w.utf8(v, p.name);
    case "binary":
      if (typeof v !== "string" && !(v instanceof Uint8Array)) throw bad();
      return w.binary(v, p.name);
  }
}
