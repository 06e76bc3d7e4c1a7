import { expect } from "expect";
import {
  checkMqttProps,
  connectionKey,
  mqttConfigFromProps,
  parseProtocolVersion,
  parseQos,
  tlsOptions,
} from "./mqtt_config.ts";

Deno.test("mqtt config: protocolVersion, qos and server validation", () => {
  expect(parseProtocolVersion("3.1")).toBe(3);
  expect(parseProtocolVersion("3.1.1")).toBe(4);
  expect(parseProtocolVersion("5")).toBe(5);
  expect(parseProtocolVersion(5)).toBe(5);
  expect(parseProtocolVersion(undefined)).toBe(4);
  expect(() => parseProtocolVersion("4.0")).toThrow(/invalid mqtt protocolVersion "4.0"/);
  expect(parseQos("2", 0)).toBe(2);
  expect(parseQos(undefined, 1)).toBe(1);
  expect(() => parseQos(3, 0)).toThrow(/invalid qos 3/);

  for (
    const s of ["tcp://h:1883", "ssl://h:8883", "mqtt://h", "mqtts://h", "ws://h/mqtt", "wss://h"]
  ) {
    expect(mqttConfigFromProps({ server: s }).server).toBe(s);
  }
  expect(() => mqttConfigFromProps({})).toThrow(/mqtt server is required/);
  expect(() => mqttConfigFromProps({ server: "127.0.0.1:1883" })).toThrow(/invalid mqtt server/);
  expect(() => mqttConfigFromProps({ server: "http://h" })).toThrow(/scheme must be/);
});

Deno.test("mqtt config: key shares by identity, not by generated client id", () => {
  const base = { server: "tcp://h:1883", username: "u", password: "p" };
  const k = (p: Record<string, unknown>) => connectionKey(mqttConfigFromProps(p));
  expect(k(base)).toBe(k({ ...base, qos: 2, datasource: "other" }));
  expect(k(base)).toBe(k({ ...base, clientid: "" }));
  expect(k(base)).not.toBe(k({ ...base, password: "q" }));
  expect(k(base)).not.toBe(k({ ...base, protocolVersion: "5" }));
  expect(k(base)).not.toBe(k({ ...base, clientid: "fixed" }));
  expect(k({ ...base, clientid: "fixed" })).toBe(k({ ...base, clientId: "fixed" }));
  expect(k(base)).not.toBe(k({ ...base, insecureSkipVerify: true }));
  expect(k(base)).not.toBe(k({ ...base, rootCaPath: "/ca.pem" }));
});

Deno.test("mqtt config: TLS material from raw PEM, base64 and files", () => {
  const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/ca.pem`, pem);
    const t = tlsOptions(
      mqttConfigFromProps({
        server: "ssl://h:8883",
        certficationRaw: pem,
        privateKeyRaw: btoa(pem),
        rootCaPath: `${dir}/ca.pem`,
        insecureSkipVerify: "true",
      }).tls,
    );
    expect(t).toEqual({ cert: pem, key: pem, ca: pem, rejectUnauthorized: false });
    expect(() =>
      tlsOptions(mqttConfigFromProps({ server: "ssl://h", rootCaPath: `${dir}/missing.pem` }).tls)
    ).toThrow(/cannot read mqtt rootCaPath/);
    expect(() => tlsOptions(mqttConfigFromProps({ server: "ssl://h", rootCARaw: "%%%" }).tls))
      .toThrow(/invalid mqtt rootCARaw/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("mqtt config: checkMqttProps checks only what a partial confKey holds", () => {
  expect(() => checkMqttProps({ qos: 0 })).not.toThrow();
  expect(() => checkMqttProps({ server: "nope" })).toThrow(/invalid mqtt server/);
  expect(() => checkMqttProps({ qos: "x" })).toThrow(/invalid qos/);
  expect(() => checkMqttProps({ insecureSkipVerify: "yes" })).toThrow(/insecureSkipVerify/);
  expect(() => checkMqttProps({ privateKeyPath: "/no/such.key" })).toThrow(
    'cannot read mqtt privateKeyPath "/no/such.key"',
  );
  expect(() => checkMqttProps({ rootCARaw: "%%%" })).toThrow(/rootCARaw: expected PEM/);
});
