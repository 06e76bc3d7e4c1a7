/**
 * `weir <verb> <noun> ...`: a REST client of a running Weir (or eKuiper) server, with the verbs
 * of eKuiper's `kuiper` CLI. The server address comes from `--host`/`--port`, else the
 * `WEIR_REST_ADDR` environment variable, else 127.0.0.1:9081.
 *
 * Exit status: 0 on success, 1 when the server rejects the request (its message is printed) or
 * cannot be reached, 2 for a command line that cannot be understood.
 *
 * @module
 */

import process from "node:process";
import { parseCliArgs, UsageError } from "./args.ts";
import { type CliOutput, COMMANDS } from "./commands.ts";
import { RestClient, RestError } from "./rest_client.ts";

export type { CliOutput };

/** The verbs the CLI knows (`weir help` lists them). */
export const CLI_VERBS: ReadonlySet<string> = new Set(
  Object.keys(COMMANDS).map((k) => k.split(" ")[0]),
);

export const CLI_HELP = `Usage: weir <command> [--host HOST] [--port PORT]
(address default: env WEIR_REST_ADDR, else 127.0.0.1:9081)

Streams and tables:
  create stream|table "<CREATE ... statement>"
  create stream|table <name> '<(fields) WITH (options)>'
  create stream|table -f <file>
  show streams|tables
  describe stream|table <name>
  drop stream|table <name>
  explain stream|table <name>

Rules:
  create rule <id> '<json>' | create rule <id> -f <file.json>
  show rules
  describe rule <id>
  drop rule <id>
  start|stop|restart rule <id>
  getstatus rule <id>
  gettopo rule <id>
  explain rule <id>
  validate rule '<json>' | validate rule -f <file.json>`;

const CONSOLE: CliOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/** Runs one CLI command and returns its exit status; never throws. */
export async function runCli(argv: string[], io: CliOutput = CONSOLE): Promise<number> {
  try {
    const { baseUrl, words } = parseCliArgs(argv, process.env.WEIR_REST_ADDR);
    if (words.length === 0 || words[0] === "help" || words.includes("--help")) {
      io.out(CLI_HELP);
      return words.length === 0 ? 2 : 0;
    }
    const [verb, noun = "", ...args] = words;
    const command = COMMANDS[`${verb.toLowerCase()} ${noun.toLowerCase()}`];
    if (!command) throw new UsageError(`unknown command "${[verb, noun].join(" ").trim()}"`);
    await command(new RestClient(baseUrl), args, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${CLI_HELP}`);
      return 2;
    }
    if (e instanceof RestError) {
      io.err(e.message);
      return 1;
    }
    io.err(`weir: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
