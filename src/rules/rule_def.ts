/**
 * Rule JSON (eKuiper `def.Rule`): parsing, validation and option defaults. The raw JSON a user
 * submitted is what the store keeps and `GET /rules/{id}` returns; this module reads it.
 */
import { BadRequestError, ErrorCode } from "../errors.ts";
import { parseDuration } from "../util/duration.ts";

export interface RuleOptions {
  isEventTime: boolean;
  lateTolerance: number;
  /**
   * Weir's extension: with event time, when no event has arrived for this long (ms, 0 = off)
   * the watermark advances with the clock, so the last window closes without new data.
   */
  watermarkIdleTimeout: number;
  concurrency: number;
  bufferLength: number;
  sendMetaToSink: boolean;
  sendNilField: boolean;
  sendError: boolean;
  qos: number;
  checkpointInterval: number;
  restartStrategy: { attempts: number };
  debug: boolean;
  planOptimizeStrategy: Record<string, unknown>;
  [key: string]: unknown;
}

export interface RuleDef {
  id: string;
  name?: string;
  version?: string;
  triggered: boolean;
  sql: string;
  /** `[{"mqtt": {...}}, {"log": {}}]`: one key (the sink type) per element. */
  actions: { type: string; props: Record<string, unknown> }[];
  options: RuleOptions;
  tags: string[];
}

const ID = /^[a-zA-Z0-9_\-]+$/;

const TOP_KEYS = new Set([
  "id",
  "name",
  "version",
  "triggered",
  "temp",
  "sql",
  "graph",
  "actions",
  "options",
  "tags",
]);

export const DEFAULT_OPTIONS: RuleOptions = {
  isEventTime: false,
  lateTolerance: 1000,
  watermarkIdleTimeout: 0,
  concurrency: 1,
  bufferLength: 1024,
  sendMetaToSink: false,
  sendNilField: false,
  sendError: false,
  qos: 0,
  checkpointInterval: 300_000,
  restartStrategy: { attempts: 0 },
  debug: false,
  planOptimizeStrategy: {},
};

// Every option eKuiper knows; the ones Weir does not act on yet are accepted (so eKuiper rules
// load unchanged) and listed as unfinished in README.md.
const KNOWN_OPTIONS = new Set([
  ...Object.keys(DEFAULT_OPTIONS),
  "logFilename",
  "disableBufferFullDiscard",
  "cron",
  "duration",
  "cronDatetimeRange",
  "notifySub",
  "enableSaveStateBeforeStop",
  "forceExitTimeout",
  "experiment",
  "enableRuleTracer",
]);

function bad(msg: string): never {
  throw new BadRequestError(msg, ErrorCode.rule);
}

function bool(v: unknown, name: string): boolean {
  if (typeof v !== "boolean") bad(`invalid rule option ${name}: expected a boolean`);
  return v as boolean;
}

function int(v: unknown, name: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    bad(`invalid rule option ${name}: expected an integer >= ${min}`);
  }
  return v as number;
}

function duration(v: unknown, name: string): number {
  try {
    return parseDuration(v, `rule option ${name}`);
  } catch (e) {
    return bad((e as Error).message);
  }
}

export function parseOptions(raw: unknown, defaults: Record<string, unknown> = {}): RuleOptions {
  if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) {
    bad("invalid rule options: expected an object");
  }
  const given = { ...defaults, ...(raw as Record<string, unknown> | undefined) };
  const unknown = Object.keys(raw ?? {}).filter((k) => !KNOWN_OPTIONS.has(k));
  if (unknown.length) bad(`unknown rule options: ${unknown.join(", ")}`);
  const o: RuleOptions = { ...DEFAULT_OPTIONS, restartStrategy: { attempts: 0 } };
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined || v === null) continue;
    switch (k) {
      case "isEventTime":
      case "sendMetaToSink":
      case "sendNilField":
      case "sendError":
      case "debug":
        o[k] = bool(v, k);
        break;
      case "concurrency":
        o.concurrency = int(v, k, 1);
        break;
      case "bufferLength":
        o.bufferLength = int(v, k, 1);
        break;
      case "qos":
        o.qos = int(v, k, 0);
        if (o.qos > 2) bad("invalid rule option qos: expected 0, 1 or 2");
        break;
      case "lateTolerance":
      case "watermarkIdleTimeout":
      case "checkpointInterval":
        o[k] = duration(v, k);
        break;
      case "restartStrategy": {
        const attempts = (v as { attempts?: unknown }).attempts ?? 0;
        o.restartStrategy = { attempts: int(attempts, "restartStrategy.attempts", 0) };
        break;
      }
      case "planOptimizeStrategy":
        if (typeof v !== "object") bad("invalid rule option planOptimizeStrategy");
        o.planOptimizeStrategy = v as Record<string, unknown>;
        break;
      default:
        o[k] = v;
    }
  }
  return o;
}

/** Validates raw rule JSON. `pathId` is the id from the URL for PUT. */
export function parseRule(raw: unknown, defaults: Record<string, unknown> = {}): RuleDef {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    bad("invalid rule json: expected a JSON object");
  }
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !TOP_KEYS.has(k));
  if (unknown.length) bad(`invalid rule json: unknown fields ${unknown.join(", ")}`);
  if (r.id === undefined || r.id === "") bad("Missing rule id.");
  if (typeof r.id !== "string") bad("invalid rule json: id must be a string");
  const id = r.id as string;
  if (!ID.test(id)) {
    bad(
      `id '${id}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed`,
    );
  }
  if (r.graph !== undefined && r.sql !== undefined) bad(`Rule ${id} has both sql and graph.`);
  if (r.graph !== undefined) bad(`Rule ${id}: graph rules are not supported yet.`);
  if (typeof r.sql !== "string" || r.sql.trim() === "") {
    bad(`Rule ${id} has neither sql nor graph.`);
  }
  if (!Array.isArray(r.actions) || r.actions.length === 0) bad("Missing rule actions.");
  const actions = (r.actions as unknown[]).map((a, i) => {
    if (typeof a !== "object" || a === null || Array.isArray(a)) {
      bad(`invalid rule json: action ${i} must be an object like {"log": {}}`);
    }
    const entries = Object.entries(a as Record<string, unknown>);
    if (entries.length !== 1) bad(`invalid rule json: action ${i} must have exactly one sink type`);
    const [type, props] = entries[0];
    if (typeof props !== "object" || props === null || Array.isArray(props)) {
      bad(`invalid rule json: properties of action ${i} (${type}) must be an object`);
    }
    return { type, props: props as Record<string, unknown> };
  });
  if (r.triggered !== undefined && typeof r.triggered !== "boolean") {
    bad("invalid rule json: triggered must be a boolean");
  }
  if (
    r.tags !== undefined && !(Array.isArray(r.tags) && r.tags.every((t) => typeof t === "string"))
  ) {
    bad("invalid rule json: tags must be an array of strings");
  }
  return {
    id,
    name: typeof r.name === "string" ? r.name : undefined,
    version: typeof r.version === "string" ? r.version : undefined,
    triggered: r.triggered !== false,
    sql: r.sql as string,
    actions,
    options: parseOptions(r.options, defaults),
    tags: (r.tags as string[] | undefined) ?? [],
  };
}
