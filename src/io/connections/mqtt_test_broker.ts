/**
 * Test support: a broker for MQTT tests. `WEIR_TEST_MQTT_URL` (an external broker, e.g. a
 * local mosquitto) wins; otherwise the embedded broker of `src/io/broker/mod.ts` is started on
 * a free loopback port when that module exists. With neither, MQTT tests are ignored.
 *
 * @module
 */

export interface TestBroker {
  url: string;
  close(): Promise<void>;
}

type StartBroker = (opts: { host: string; port: number }) => unknown;

const envUrl = (globalThis as { Deno?: { env: { get(k: string): string | undefined } } }).Deno
  ?.env.get("WEIR_TEST_MQTT_URL");

async function loadEmbedded(): Promise<StartBroker | undefined> {
  try {
    // A variable specifier so that type checking does not require the module to exist.
    const spec = "../broker/mod.ts";
    const mod = await import(spec);
    return typeof mod.startBroker === "function" ? mod.startBroker : undefined;
  } catch {
    return undefined;
  }
}

const embedded = await loadEmbedded();

/** True when no broker is available (tests pass this as `ignore`). */
export const noTestBroker: boolean = !envUrl && !embedded;

/** True when the embedded broker can be started (tests that restart a broker need it). */
export const noEmbeddedBroker: boolean = !embedded;

/** Starts the embedded broker on `port` (0 = a free one), whatever WEIR_TEST_MQTT_URL says. */
export async function startEmbeddedBroker(port = 0): Promise<TestBroker & { port: number }> {
  if (!embedded) throw new Error("the embedded broker (src/io/broker/mod.ts) is not available");
  // deno-lint-ignore no-explicit-any
  const b: any = await embedded({ host: "127.0.0.1", port });
  const bound = b.port ?? b.address?.port ?? b.address?.()?.port;
  if (typeof bound !== "number") throw new Error("embedded broker did not report its port");
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    port: bound,
    close: async () => {
      await (b.close ?? b.stop)?.call(b);
    },
  };
}

/** Starts (or points at) a broker for one test. */
export async function startTestBroker(): Promise<TestBroker> {
  if (envUrl) return { url: envUrl, close: () => Promise.resolve() };
  if (!embedded) throw new Error("no MQTT broker for tests: set WEIR_TEST_MQTT_URL");
  return await startEmbeddedBroker();
}

/** Resolves when `cond()` holds, polling every 10 ms; rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms = 3000, what = "condition"): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A unique topic prefix so that tests sharing an external broker do not see each other. */
export function uniqueTopic(name: string): string {
  return `weirtest/${name}/${crypto.randomUUID().slice(0, 8)}`;
}
