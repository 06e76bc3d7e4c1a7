/**
 * The CLI's verbs, each a REST call and the text it prints (eKuiper's `kuiper` CLI vocabulary):
 * `create|show|describe|drop|explain stream|table`, `create|show|describe|drop|start|stop|
 * restart|getstatus|gettopo|explain|validate rule`.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { withCaret } from "./caret.ts";
import { formatStreamDescription } from "./describe_format.ts";
import { type RestClient, RestError, segment } from "./rest_client.ts";
import { UsageError } from "./args.ts";

/** Where a command writes; lines without a trailing newline. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Runs one command: `words` are the positionals after the flags (`["show", "streams"]`). */
export type Command = (client: RestClient, args: string[], io: CliOutput) => Promise<void>;

const pretty = (text: string) => JSON.stringify(JSON.parse(text), null, 2);

/** `stream`/`streams` -> `stream`, for nouns given either way. */
function kindOf(noun: string): "stream" | "table" {
  return noun.startsWith("table") ? "table" : "stream";
}

function oneName(args: string[], what: string): string {
  if (args.length !== 1 || args[0] === "") throw new UsageError(`expected one ${what} name`);
  return args[0];
}

/** Reads `-f file` or the joined words: the text of a definition. */
async function definitionText(args: string[], what: string): Promise<string> {
  if (args[0] === "-f") {
    if (args.length !== 2) throw new UsageError(`-f takes one file name`);
    try {
      return await readFile(args[1], "utf8");
    } catch (e) {
      throw new UsageError(`cannot read ${what} file ${args[1]}: ${(e as Error).message}`);
    }
  }
  const text = args.join(" ").trim();
  if (text === "") throw new UsageError(`expected the ${what}`);
  return text;
}

/** A rule's JSON from the command line or a file, with `id` set to the given one. */
async function ruleJson(args: string[], id: string | undefined): Promise<Record<string, unknown>> {
  const text = await definitionText(args, "rule");
  let rule: unknown;
  try {
    rule = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the rule is not valid JSON: ${(e as Error).message}`);
  }
  if (rule === null || typeof rule !== "object" || Array.isArray(rule)) {
    throw new UsageError("the rule must be a JSON object");
  }
  const obj = rule as Record<string, unknown>;
  if (id !== undefined && obj.id !== undefined && obj.id !== id) {
    throw new UsageError(`the rule's id "${obj.id}" differs from the name "${id}"`);
  }
  return id === undefined ? obj : { ...obj, id };
}

/** `create stream|table`: either a full `CREATE ...` statement, or eKuiper's `<name> '<def>'`
 * and `-f file` forms (the file may hold `name(...) WITH (...)` or a whole statement). */
async function createStream(client: RestClient, noun: string, args: string[], io: CliOutput) {
  const kind = kindOf(noun);
  let sql = await definitionText(args, `${kind} definition`);
  if (!/^\s*create\s/i.test(sql)) sql = `CREATE ${kind.toUpperCase()} ${sql}`;
  io.out((await pointingAtErrors(sql, client.post(`/${kind}s`, { sql }))).text);
}

/** `reply`, or its RestError with the position in `sql` shown (see `caret.ts`). */
async function pointingAtErrors<T>(sql: unknown, reply: Promise<T>): Promise<T> {
  try {
    return await reply;
  } catch (e) {
    if (e instanceof RestError && typeof sql === "string") {
      throw new RestError(withCaret(e.message, sql), e.status);
    }
    throw e;
  }
}

async function showStreams(client: RestClient, noun: string, io: CliOutput) {
  const kind = kindOf(noun);
  const names = JSON.parse((await client.get(`/${kind}s`)).text) as string[];
  io.out(names.length > 0 ? names.join("\n") : `No ${kind} definitions are found.`);
}

async function explainRule(client: RestClient, id: string, io: CliOutput) {
  try {
    io.out((await client.get(`/rules/${segment(id)}/explain`)).text.trimEnd());
  } catch (e) {
    // A server without the route answers "GET /rules/x/explain not found".
    if (e instanceof RestError && e.status === 404 && /\/explain not found/.test(e.message)) {
      throw new RestError(`this Weir server cannot explain rules (${e.message})`, 404);
    }
    throw e;
  }
}

async function validateRule(client: RestClient, args: string[], io: CliOutput) {
  // `validate rule '<json>'`, `validate rule -f f`, or eKuiper's `validate rule <name> ...`.
  const named = args.length > 1 && args[0] !== "-f" && !args[0].trimStart().startsWith("{");
  const rule = await ruleJson(named ? args.slice(1) : args, named ? args[0] : undefined);
  // `/rules/validate` checks the whole rule, id included (as eKuiper's does): a rule given
  // without one is validated under the id `cli_validate`.
  rule.id ??= "cli_validate";
  try {
    await pointingAtErrors(rule.sql, client.post("/rules/validate", rule));
  } catch (e) {
    if (e instanceof RestError && e.status === 422) {
      throw new RestError(`The rule is invalid: ${e.message}`, 422);
    }
    throw e;
  }
  io.out("The rule has been successfully validated and is confirmed to be correct.");
}

/** Every command, keyed by `verb noun`. */
export const COMMANDS: Record<string, Command> = {};

for (const noun of ["stream", "table"]) {
  const base = `/${noun}s`;
  COMMANDS[`create ${noun}`] = (c, args, io) => createStream(c, noun, args, io);
  COMMANDS[`show ${noun}s`] = async (c, args, io) => {
    if (args.length > 0) throw new UsageError(`show ${noun}s takes no arguments`);
    await showStreams(c, noun, io);
  };
  COMMANDS[`describe ${noun}`] = async (c, args, io) => {
    const reply = await c.get(`${base}/${segment(oneName(args, noun))}`);
    io.out(formatStreamDescription(JSON.parse(reply.text)));
  };
  COMMANDS[`drop ${noun}`] = async (c, args, io) => {
    io.out((await c.delete(`${base}/${segment(oneName(args, noun))}`)).text);
  };
  COMMANDS[`explain ${noun}`] = async (c, args, io) => {
    const sql = `EXPLAIN ${noun.toUpperCase()} \`${oneName(args, noun)}\``;
    io.out((await c.post(base, { sql })).text);
  };
}

COMMANDS["create rule"] = async (c, args, io) => {
  if (args.length < 2) throw new UsageError("usage: create rule <id> '<json>' | -f <file>");
  const rule = await ruleJson(args.slice(1), args[0]);
  io.out((await pointingAtErrors(rule.sql, c.post("/rules", rule))).text);
};
COMMANDS["show rules"] = async (c, args, io) => {
  if (args.length > 0) throw new UsageError("show rules takes no arguments");
  io.out(pretty((await c.get("/rules")).text));
};
COMMANDS["describe rule"] = async (c, args, io) => {
  io.out(pretty((await c.get(`/rules/${segment(oneName(args, "rule"))}`)).text));
};
COMMANDS["drop rule"] = async (c, args, io) => {
  io.out((await c.delete(`/rules/${segment(oneName(args, "rule"))}`)).text);
};
for (const verb of ["start", "stop", "restart"]) {
  COMMANDS[`${verb} rule`] = async (c, args, io) => {
    io.out((await c.post(`/rules/${segment(oneName(args, "rule"))}/${verb}`)).text);
  };
}
COMMANDS["getstatus rule"] = async (c, args, io) => {
  io.out(pretty((await c.get(`/rules/${segment(oneName(args, "rule"))}/status`)).text));
};
COMMANDS["gettopo rule"] = async (c, args, io) => {
  io.out(pretty((await c.get(`/rules/${segment(oneName(args, "rule"))}/topo`)).text));
};
COMMANDS["explain rule"] = (c, args, io) => explainRule(c, oneName(args, "rule"), io);
COMMANDS["validate rule"] = (c, args, io) => validateRule(c, args, io);
