/** A standalone MQTT broker process for tests: Weir's embedded broker on the given port. */
import { startBroker } from "../../src/io/broker/mod.ts";

const port = Number(Deno.args[0]);
const broker = await startBroker({ host: "127.0.0.1", port });
console.log(`broker ready on ${broker.port}`);
Deno.addSignalListener("SIGTERM", async () => {
  await broker.close();
  Deno.exit(0);
});
