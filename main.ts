/**
 * Weir's command line. `weir [serve] [options]` runs the server; `weir service ...` installs it
 * as a boot service; `weir --version`, `weir --help`; every other command is the REST client
 * (src/cli). No logic lives here.
 */
import process from "node:process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareHome, resolveHome } from "./src/config/home.ts";
import { startWeir } from "./src/app.ts";
import { CLI_HELP, runCli } from "./src/cli/mod.ts";
import { parseFlags } from "./src/cli/flags.ts";
import { runService, SERVICE_HELP } from "./src/service/mod.ts";
import { exitProcess, onShutdownSignal } from "./src/platform/mod.ts";
import { logger } from "./src/log.ts";
import { VERSION } from "./src/version.ts";

const HELP = `Weir ${VERSION} - SQL stream processing for the edge (eKuiper-compatible)

Usage: weir [serve] [options]

Options:
  --dir PATH             home folder holding etc/ and data/ (env WEIR_HOME; default: the
                         binary's folder, or the source checkout). Missing etc/ files are
                         written there on start.
  --rest-addr HOST:PORT  REST API address (env WEIR_REST_ADDR, default 127.0.0.1:9081)
  --push-addr HOST:PORT  httppush source server (env WEIR_PUSH_ADDR, default 127.0.0.1:10081)
  --broker-addr H:P|off  embedded MQTT broker (env WEIR_BROKER_ADDR, default 127.0.0.1:1883)
  --version              print the version
  --help                 print this help

${SERVICE_HELP}

REST client (talks to a running Weir):
${CLI_HELP}
`;

/** The REST client's verbs (`src/cli/`). */
const CLI_VERBS = new Set([
  "create",
  "show",
  "describe",
  "drop",
  "explain",
  "start",
  "stop",
  "restart",
  "getstatus",
  "gettopo",
  "validate",
]);

/** The folder of main.ts (the checkout when run from source). */
const MAIN_DIR = dirname(fileURLToPath(import.meta.url));

async function serve(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseFlags(args, {
      dir: { type: "string" },
      "rest-addr": { type: "string" },
      "push-addr": { type: "string" },
      "broker-addr": { type: "string" },
      version: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
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
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (positionals.length > 0) {
    console.error(`unexpected argument "${positionals[0]}"\n\n${HELP}`);
    exitProcess(2);
  }
  try {
    const home = resolveHome(values.dir, MAIN_DIR);
    const written = prepareHome(home);
    if (written.length > 0) {
      logger("weir").info(`wrote default ${written.join(", ")} in ${home}`);
    }
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

async function main(argv: string[]): Promise<void> {
  const [first] = argv;
  // Flags alone (`weir --dir x`) mean serve, as does no argument at all; client flags may also
  // come before the verb (`weir --port 9082 show streams`).
  if (first === undefined || first.startsWith("-")) {
    const verb = argv.find((a, i) => !a.startsWith("-") && !argv[i - 1]?.match(/^--?[a-z-]+$/));
    if (verb && CLI_VERBS.has(verb)) exitProcess(await runCli(argv));
    return await serve(argv);
  }
  if (first === "serve") return await serve(argv.slice(1));
  if (first === "help") {
    console.log(HELP);
    return;
  }
  if (first === "service") exitProcess(await runService(argv.slice(1), MAIN_DIR));
  exitProcess(await runCli(argv));
}

await main(process.argv.slice(2));
