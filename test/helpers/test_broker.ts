/**
 * The MQTT brokers end-to-end tests talk to, each in its own process so that Weir can be killed
 * and restarted under it: Weir's own embedded broker run standalone, always; and mosquitto when
 * it is installed (CI installs it from Debian), so the same suite runs against both.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, waitForPort } from "./ports.ts";

export interface TestBroker {
  port: number;
  url: string;
  kind: "mosquitto" | "weir";
  stop(): Promise<void>;
}

/** "weir" always; "mosquitto" too when the binary is on PATH. */
export function availableBrokerKinds(): ("weir" | "mosquitto")[] {
  const kinds: ("weir" | "mosquitto")[] = ["weir"];
  try {
    const r = new Deno.Command("sh", { args: ["-c", "command -v mosquitto"], stdout: "null" })
      .outputSync();
    if (r.success) kinds.push("mosquitto");
  } catch { /* no shell: weir only */ }
  return kinds;
}

export async function startTestBroker(kind: "weir" | "mosquitto" = "weir"): Promise<TestBroker> {
  const port = await freePort();
  const mosquitto = kind === "mosquitto";
  let child: Deno.ChildProcess;
  if (mosquitto) {
    const dir = mkdtempSync(join(tmpdir(), "weir-mosq-"));
    const conf = join(dir, "mosquitto.conf");
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    child = new Deno.Command("mosquitto", { args: ["-c", conf], stdout: "null", stderr: "null" })
      .spawn();
  } else {
    const main = resolve(new URL("./broker_main.ts", import.meta.url).pathname);
    child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", main, String(port)],
      stdout: "null",
      stderr: "null",
    }).spawn();
  }
  await waitForPort(port, 15_000);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    kind: mosquitto ? "mosquitto" : "weir",
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
    },
  };
}
