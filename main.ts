/**
 * Weir's command line: `weir [serve] [--dir PATH] [--rest-addr H:P] [--push-addr H:P]
 * [--broker-addr H:P|off]`, `weir --version`, `weir --help`. No logic lives here.
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveHome } from "./src/config/home.ts";
import { startWeir } from "./src/app.ts";
import { exitProcess, onShutdownSignal } from "./src/platform/mod.ts";
import { VERSION } from "./src/version.ts";

const HELP = `Weir ${VERSION} — SQL stream processing for the edge (eKuiper-compatible)

Usage: weir [serve] [options]

Options:
  --dir PATH             home folder holding etc/ and data/ (env WEIR_HOME)
  --rest-addr HOST:PORT  REST API address (env WEIR_REST_ADDR, default 127.0.0.1:9081)
  --push-addr HOST:PORT  httppush source server (env WEIR_PUSH_ADDR, default 127.0.0.1:10081)
  --broker-addr H:P|off  embedded MQTT broker (env WEIR_BROKER_ADDR, default 127.0.0.1:1883)
  --version              print the version
  --help                 print this help
`;

async function main(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        dir: { type: "string" },
        "rest-addr": { type: "string" },
        "push-addr": { type: "string" },
        "broker-addr": { type: "string" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    exitProcess(2);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    console.log(`weir ${VERSION}`);
    return;
  }
  const command = positionals[0] ?? "serve";
  if (values.help || command === "help") {
    console.log(HELP);
    return;
  }
  if (command !== "serve") {
    console.error(`unknown command "${command}"\n\n${HELP}`);
    exitProcess(2);
  }
  const home = resolveHome(values.dir, dirname(fileURLToPath(import.meta.url)));
  try {
    const weir = await startWeir(home, {
      restAddr: values["rest-addr"],
      pushAddr: values["push-addr"],
      brokerAddr: values["broker-addr"],
    });
    onShutdownSignal(async () => {
      await weir.stop();
      exitProcess(0);
    });
  } catch (e) {
    console.error(`weir: ${(e as Error).message}`);
    exitProcess(1);
  }
}

await main(process.argv.slice(2));
