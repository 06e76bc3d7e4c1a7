/**
 * The mqtt source with username/password and a fixed clientid against a real mosquitto that
 * refuses anonymous clients. Skipped when mosquitto (or mosquitto_passwd) is not installed.
 */
import { expect } from "expect";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
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

Deno.test({
  name: "mqtt source: username/password and clientid (mosquitto without anonymous access)",
  ignore: !has("mosquitto") || !has("mosquitto_passwd"),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "weir-auth-"));
    const passwd = join(dir, "passwd");
    const made = new Deno.Command("mosquitto_passwd", {
      args: ["-b", "-c", passwd, "weir", "s3cret"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    expect(made.success).toBe(true);
    chmodSync(dir, 0o755);
    chmodSync(passwd, 0o644);
    const port = await freePort();
    const conf = join(dir, "mosquitto.conf");
    writeFileSync(
      conf,
      `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwd}\n`,
    );
    const broker = new Deno.Command("mosquitto", {
      args: ["-c", conf],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForPort(port, 10_000);
    const server = `tcp://127.0.0.1:${port}`;
    const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      username: "weir",
      password: "s3cret",
    });
    const good = mqttSource.create({
      server,
      datasource: "auth/#",
      format: "json",
      username: "weir",
      password: "s3cret",
      clientid: "weir_auth_test",
    });
    const bad = mqttSource.create({
      server,
      datasource: "auth/#",
      format: "json",
      username: "weir",
      password: "wrong",
    });
    const goodCtx = recordingSourceContext();
    const badCtx = recordingSourceContext();
    try {
      await good.open(goodCtx);
      await bad.open(badCtx); // never rejects: a refused login is retried in the background
      for (let i = 0; i < 50 && goodCtx.messages.length === 0; i++) {
        await pub.publishAsync("auth/x", `{"i":${i}}`, { qos: 1 });
        await new Promise((r) => setTimeout(r, 50));
      }
      await waitFor(() => goodCtx.messages.length > 0, 3000, "a message");
      expect(goodCtx.messages[0].meta!.topic).toBe("auth/x");
      expect(badCtx.messages).toEqual([]);
      expect(badCtx.statuses).not.toContain("connected");
      expect(badCtx.statuses).toContain("disconnected");
    } finally {
      await good.close();
      await bad.close();
      await pub.endAsync(true);
      broker.kill("SIGTERM");
      await broker.status;
    }
    expect(mqttPoolStats()).toEqual([]);
  },
});
