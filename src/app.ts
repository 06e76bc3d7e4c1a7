/**
 * The Weir appliance: settings -> store -> embedded broker -> catalog and rules (recovered and
 * restarted) -> REST API. `startWeir` returns a handle whose `stop()` shuts down in reverse.
 */
import { mkdirSync } from "node:fs";
import { setTimeout } from "node:timers";
import { join } from "node:path";
import { loadSettings, type Settings, type SettingsOverrides } from "./config/settings.ts";
import { ConfKeys } from "./config/conf_keys.ts";
import { checkStreamSource } from "./runtime/source_props.ts";
import { KvStore } from "./store/kv_store.ts";
import { KeyedState } from "./store/keyed_state.ts";
import { Catalog } from "./catalog/catalog.ts";
import { RuleManager } from "./rules/rule_manager.ts";
import { Scheduler } from "./runtime/scheduler.ts";
import { SourceHub } from "./runtime/source_hub.ts";
import { createApi } from "./api/mod.ts";
import { endStartupJitPolicy, type HttpServer, releaseMemory, serveHttp } from "./platform/mod.ts";
import { type Broker, startBroker } from "./io/broker/mod.ts";
import { configurePushServer } from "./io/sources/httppush/server.ts";
import { configureSinkCacheDir } from "./runtime/sink_cache_store.ts";
import { configureIoHome } from "./io/home.ts";
import { SchemaRegistry, setSchemaRegistry } from "./schemas/mod.ts";
import { errorMessage } from "./errors.ts";
import { setTimezone } from "./functions/mod.ts";
import { logger, setLogLevel } from "./log.ts";
import { VERSION } from "./version.ts";

export interface Weir {
  settings: Settings;
  rest: HttpServer;
  broker: Broker | undefined;
  stop(): Promise<void>;
}

const log = logger("weir");

/** How long after the REST API answers start-up is considered over (JIT policy, memory). */
const SETTLE_AFTER_START_MS = 1000;

export async function startWeir(home: string, overrides: SettingsOverrides = {}): Promise<Weir> {
  const settings = loadSettings(home, overrides);
  setLogLevel(settings.logLevel);
  try {
    setTimezone(settings.timezone);
  } catch (e) {
    log.error(`basic.timezone: ${errorMessage(e)}; using UTC`);
  }
  log.info(`Weir ${VERSION} starting in ${home}`);
  mkdirSync(settings.dataDir, { recursive: true });
  const store = await KvStore.open(join(settings.dataDir, "weir.db"));
  configureSinkCacheDir(settings.dataDir);

  let broker: Broker | undefined;
  if (settings.broker) {
    const { host, port } = settings.broker;
    try {
      broker = await startBroker({ host, port });
      log.info(`embedded MQTT broker listening on ${host}:${broker.port}`);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === "EADDRINUSE" ? "the port is already in use" : errorMessage(e);
      log.warn(`embedded MQTT broker not started on ${host}:${port}: ${why}; going on without it`);
    }
  }

  configurePushServer({ hostname: settings.push.host, port: settings.push.port });
  configureIoHome(settings.home);
  // Schemas first: streams and rules recovered below bind their formats to them.
  const schemas = new SchemaRegistry(join(settings.dataDir, "schemas"));
  for (const failure of await schemas.scan()) log.error(`schema not registered: ${failure}`);
  setSchemaRegistry(schemas);
  const scheduler = new Scheduler();
  const catalog = new Catalog(store);
  const confKeys = new ConfKeys(settings.etcDir, store);
  const keyedState = new KeyedState(store);
  catalog.checkSource = (def) => checkStreamSource(def, confKeys);
  const rules = new RuleManager(
    store,
    catalog,
    {
      scheduler,
      hub: new SourceHub(logger("source")),
      confKeys,
      keyedState,
      logger: logger("rule"),
    },
    settings.ruleDefaults,
    logger("rules"),
  );
  await rules.recover();

  const api = createApi({
    catalog,
    rules,
    maxBodySize: settings.maxBodySize,
    startedAt: Date.now(),
    confKeys,
    keyedState,
  });
  let rest: HttpServer;
  try {
    rest = serveHttp({
      hostname: settings.rest.host,
      port: settings.rest.port,
      fetch: (req) => api.fetch(req),
      maxRequestBodySize: settings.maxBodySize,
    });
  } catch (e) {
    await rules.shutdown();
    await broker?.close();
    store.close();
    throw new Error(
      `cannot serve the REST API on ${settings.rest.host}:${settings.rest.port}: ${
        errorMessage(e)
      }`,
    );
  }
  log.info(`REST API listening on ${settings.rest.host}:${rest.port}`);
  // Start-up is over once things have settled: the JIT's normal policy back (src/platform/jit.ts:
  // at REST-ready the first requests would still optimise start-up code), and the start-up's
  // garbage and grown young generation handed back.
  const settle = setTimeout(() => {
    endStartupJitPolicy();
    releaseMemory().catch((e) => log.warn(`releasing start-up memory: ${errorMessage(e)}`));
  }, SETTLE_AFTER_START_MS).unref();

  let stopping: Promise<void> | undefined;
  return {
    settings,
    rest,
    broker,
    stop() {
      stopping ??= (async () => {
        log.info("shutting down");
        clearTimeout(settle);
        await rest.close();
        await rules.shutdown();
        await broker?.close();
        store.close();
        log.info("stopped");
      })();
      return stopping;
    },
  };
}
