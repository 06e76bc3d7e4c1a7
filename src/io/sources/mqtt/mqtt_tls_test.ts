/**
 * The mqtt source over TLS against a real mosquitto with certificates made by openssl in the
 * test (mutual TLS: the broker requires a client certificate). Skipped when mosquitto or
 * openssl is not installed.
 */
import { expect } from "expect";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { mqttSource } from "./mod.ts";
import { recordingSourceContext } from "../test_context.ts";
import { waitFor } from "../../connections/mqtt_test_broker.ts";
import { mqttPoolStats } from "../../connections/mqtt_pool.ts";
import { freePort, waitForPort } from "../../../../test/helpers/ports.ts";

function has(cmd: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
const missing = !has("mosquitto") || !has("openssl");

function openssl(dir: string, ...args: string[]): void {
  const r = new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" })
    .outputSync();
  if (!r.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(r.stderr)}`);
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA;
 * and a second CA that signed nothing here. */
function makeCerts(dir: string): void {
  const subj = (cn: string) => ["-subj", `/CN=${cn}`];
  for (const ca of ["ca", "otherca"]) {
    openssl(
      dir,
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-keyout",
      `${ca}.key`,
      "-out",
      `${ca}.pem`,
      ...subj(`${ca} test`),
    );
  }
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  for (const name of ["server", "client"]) {
    openssl(
      dir,
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      ...subj(name === "server" ? "localhost" : "weir-client"),
    );
    openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      `${name}.pem`,
      "-extfile",
      "san.ext",
    );
  }
}

async function startTlsMosquitto(dir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  writeFileSync(
    join(dir, "mosquitto.conf"),
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      `cafile ${join(dir, "ca.pem")}`,
      `certfile ${join(dir, "server.pem")}`,
      `keyfile ${join(dir, "server.key")}`,
      "require_certificate true",
      "",
    ].join("\n"),
  );
  const child = new Deno.Command("mosquitto", {
    args: ["-c", join(dir, "mosquitto.conf")],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitForPort(port, 10_000);
  return {
    port,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

Deno.test({
  name: "mqtt source over TLS: paths, raw PEM, wrong CA, insecureSkipVerify (mosquitto)",
  ignore: missing,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "weir-tls-"));
    makeCerts(dir);
    // mosquitto started as root reads its files as the `mosquitto` user.
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    const broker = await startTlsMosquitto(dir);
    const pem = (f: string) => readFileSync(join(dir, f), "utf8");
    const publisher = await mqtt.connectAsync(`mqtts://127.0.0.1:${broker.port}`, {
      ca: pem("ca.pem"),
      cert: pem("client.pem"),
      key: pem("client.key"),
    });
    const server = `ssl://127.0.0.1:${broker.port}`;
    const variants: [string, Record<string, unknown>, boolean][] = [
      ["paths", {
        certificationPath: join(dir, "client.pem"),
        privateKeyPath: join(dir, "client.key"),
        rootCaPath: join(dir, "ca.pem"),
      }, true],
      ["raw PEM (base64)", {
        certficationRaw: btoa(pem("client.pem")),
        privateKeyRaw: btoa(pem("client.key")),
        rootCARaw: btoa(pem("ca.pem")),
      }, true],
      ["wrong CA", {
        certificationPath: join(dir, "client.pem"),
        privateKeyPath: join(dir, "client.key"),
        rootCaPath: join(dir, "otherca.pem"),
      }, false],
      ["wrong CA, insecureSkipVerify", {
        certificationPath: join(dir, "client.pem"),
        privateKeyPath: join(dir, "client.key"),
        rootCaPath: join(dir, "otherca.pem"),
        insecureSkipVerify: true,
      }, true],
    ];
    try {
      for (const [name, tls, works] of variants) {
        const topic = `tls/${name.replace(/\W+/g, "_")}`;
        const src = mqttSource.create({ server, datasource: topic, format: "json", ...tls });
        const ctx = recordingSourceContext();
        try {
          await src.open(ctx);
          if (!works) {
            // The handshake fails: the source reports it and keeps retrying, never connected.
            expect(ctx.statuses).toContain("disconnected");
            expect(ctx.statuses).not.toContain("connected");
            continue;
          }
          for (let i = 0; i < 50 && ctx.messages.length === 0; i++) {
            await publisher.publishAsync(topic, `{"n":${i}}`, { qos: 1 });
            await new Promise((r) => setTimeout(r, 50));
          }
          await waitFor(() => ctx.messages.length > 0, 3000, `a message (${name})`);
          expect(ctx.messages[0].meta!.topic).toBe(topic);
        } finally {
          await src.close();
        }
      }
    } finally {
      await publisher.endAsync(true);
      await broker.stop();
    }
    expect(mqttPoolStats()).toEqual([]);
  },
});
