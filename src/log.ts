/**
 * The logger: the only place that writes to the console. Lines are `time level [scope] message`.
 * Level comes from `etc/weir.yaml` (`basic.logLevel`) or `WEIR_LOG_LEVEL`.
 *
 * @module
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold = ORDER.info;

export function setLogLevel(level: string): void {
  const l = level.toLowerCase() as LogLevel;
  threshold = ORDER[l] ?? ORDER.info;
}

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(scope: string): Logger;
}

function write(level: LogLevel, scope: string, msg: string): void {
  if (ORDER[level] < threshold) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${msg}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export function logger(scope: string): Logger {
  return {
    debug: (m) => write("debug", scope, m),
    info: (m) => write("info", scope, m),
    warn: (m) => write("warn", scope, m),
    error: (m) => write("error", scope, m),
    child: (s) => logger(`${scope}/${s}`),
  };
}
