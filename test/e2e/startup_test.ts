/** Start-up on embedded defaults: a taken broker port is logged and Weir goes on. */
import { expect } from "expect";
import net from "node:net";
import { rmSync } from "node:fs";
import { WeirProcess } from "../helpers/weir_process.ts";
import { freePort } from "../helpers/ports.ts";

Deno.test({
  name: "startup: the embedded broker's port is taken, Weir logs it and serves anyway",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", r));
    const weir = await WeirProcess.start({ brokerAddr: `127.0.0.1:${port}` });
    try {
      expect((await weir.request("GET", "/ping")).status).toBe(200);
      expect(weir.log.join("\n")).toMatch(
        new RegExp(
          `embedded MQTT broker not started on 127\\.0\\.0\\.1:${port}: the port is already in use`,
        ),
      );
      expect((await weir.kill("SIGTERM")).code).toBe(0);
    } finally {
      await weir.kill("SIGTERM");
      await new Promise((r) => blocker.close(r));
      rmSync(weir.home, { recursive: true, force: true });
    }
  },
});
