/**
 * Command-line parsing of the REST client (`weir <verb> <noun> [args]`): the target address
 * flags (`--host`, `--port`) are pulled out wherever they appear, the rest are positionals.
 *
 * @module
 */

/** Raised for a command line the client cannot understand (exit status 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The REST API address and the positional words of a command line. */
export interface CliArgs {
  baseUrl: string;
  words: string[];
}

const DEFAULT_ADDR = "127.0.0.1:9081";

/** Splits `argv` into the REST address (flags, then `WEIR_REST_ADDR`, then the default) and the
 * remaining words. `-f` and its file stay among the words: verbs interpret them. */
export function parseCliArgs(argv: string[], envAddr: string | undefined): CliArgs {
  let host: string | undefined;
  let port: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const flag = /^--(host|port)(?:=(.*))?$/.exec(arg);
    if (!flag) {
      words.push(arg);
      continue;
    }
    const value = flag[2] ?? argv[++i];
    if (value === undefined || value === "") throw new UsageError(`--${flag[1]} needs a value`);
    if (flag[1] === "host") host = value;
    else port = value;
  }
  if (port !== undefined && !/^\d{1,5}$/.test(port)) {
    throw new UsageError(`--port must be a number, got "${port}"`);
  }
  const env = splitAddr(envAddr?.trim() || DEFAULT_ADDR);
  return { baseUrl: `http://${urlHost(host ?? env.host)}:${port ?? env.port}`, words };
}

/** `host:port`, `[::1]:port` or `http://host:port` into host and port. */
function splitAddr(addr: string): { host: string; port: string } {
  const bare = addr.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  const m = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(bare);
  if (!m) throw new UsageError(`WEIR_REST_ADDR must be host:port, got "${addr}"`);
  return { host: m[1].replace(/^\[|\]$/g, ""), port: m[2] };
}

/** A host for a URL: a server bound to all interfaces is reached on loopback; IPv6 gets
 * brackets. */
function urlHost(host: string): string {
  if (host === "" || host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
