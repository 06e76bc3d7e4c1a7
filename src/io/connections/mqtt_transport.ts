/**
 * The byte pipes an MQTT client runs over: TCP (`tcp://`, `mqtt://`) through the runtime's own
 * sockets (`platform/tcp.ts`: Deno's or Bun's, not `node:net`); TLS (`ssl://`, `tls://`,
 * `mqtts://`) through `node:tls`, which both runtimes provide (Deno's own TLS cannot skip
 * certificate checks per connection, `insecureSkipVerify`); and WebSocket (`ws://`, `wss://`)
 * through the standard `WebSocket` with the `mqtt` subprotocol. TCP and TLS reads are coalesced
 * in floods (`read_coalescing.ts`).
 *
 * @module
 */
import { nodeNet, nodeTls } from "../../platform/builtin.ts";
import { Buffer } from "node:buffer";
import { ReadCoalescing } from "./read_coalescing.ts";
import { connectTcp } from "../../platform/tcp.ts";
import type { TlsOptions } from "./mqtt_config.ts";

export interface TransportEvents {
  open(): void;
  data(chunk: Uint8Array): void;
  /** Once, whether the pipe failed to open or closed later; `error` says why, if known. */
  close(error?: Error): void;
  /** The pipe took all written bytes after `write` returned false. */
  drain(): void;
}

export interface Transport {
  /** Queues bytes; false once the pipe holds more than it should (wait for `drain`). The
   * bytes must not be changed afterwards. */
  write(bytes: Uint8Array): boolean;
  /** Stops reading (backpressure); data already read may still arrive. */
  pause(): void;
  resume(): void;
  /** Flushes and closes. */
  end(): void;
  /** Closes at once. */
  destroy(): void;
}

/** Bytes a WebSocket may hold unsent before writes report congestion. */
const WS_HIGH_WATER = 1024 * 1024;

/** Opens the pipe for a broker URL (eKuiper schemes). */
export function openTransport(server: string, tlsOpts: TlsOptions, ev: TransportEvents): Transport {
  const url = new URL(server);
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (scheme === "ws" || scheme === "wss") return openWebSocket(server, tlsOpts, ev);
  const secure = scheme === "ssl" || scheme === "tls" || scheme === "mqtts";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : secure ? 8883 : 1883;
  return coalescingReads(
    ev,
    (inner) => secure ? openTls(host, port, tlsOpts, inner) : connectTcp(host, port, inner),
  );
}

/**
 * `open`'s pipe, napping in floods: reading stops while the client holds (backpressure) or
 * the pipe naps, and resumes when neither does.
 */
function coalescingReads(
  ev: TransportEvents,
  open: (inner: TransportEvents) => Transport,
): Transport {
  let held = false;
  let napping = false;
  const nap = new ReadCoalescing(() => {
    napping = false;
    if (!held) pipe.resume();
  });
  const pipe = open({
    open: () => ev.open(),
    data(chunk) {
      ev.data(chunk);
      if (nap.afterRead(chunk.length)) {
        napping = true;
        pipe.pause();
      }
    },
    drain: () => ev.drain(),
    close(e) {
      nap.cancel();
      ev.close(e);
    },
  });
  return {
    write: (bytes) => pipe.write(bytes),
    pause() {
      held = true;
      pipe.pause();
    },
    resume() {
      held = false;
      if (!napping) pipe.resume();
    },
    end: () => pipe.end(),
    destroy() {
      nap.cancel();
      pipe.destroy();
    },
  };
}

function openTls(host: string, port: number, tlsOpts: TlsOptions, ev: TransportEvents): Transport {
  const sock = nodeTls().connect({
    host,
    port,
    servername: nodeNet().isIP(host) ? undefined : host,
    ca: tlsOpts.ca,
    cert: tlsOpts.cert,
    key: tlsOpts.key,
    rejectUnauthorized: tlsOpts.rejectUnauthorized,
  });
  // Writes are coalesced per turn by the client; Nagle would only add delay.
  sock.setNoDelay(true);
  let failure: Error | undefined;
  sock.once("secureConnect", () => ev.open());
  sock.on("data", (chunk: Uint8Array) => ev.data(chunk));
  sock.on("drain", () => ev.drain());
  sock.on("error", (e: Error) => failure ??= e);
  sock.once("close", () => ev.close(failure));
  return {
    write: (bytes) => sock.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    pause: () => void sock.pause(),
    resume: () => void sock.resume(),
    end: () => void sock.end(),
    destroy: () => void sock.destroy(),
  };
}

function openWebSocket(server: string, tlsOpts: TlsOptions, ev: TransportEvents): Transport {
  if (tlsOpts.ca || tlsOpts.cert || tlsOpts.key || !tlsOpts.rejectUnauthorized) {
    // The standard WebSocket takes no TLS material; failing beats silently ignoring it.
    throw new Error(
      `mqtt server ${server}: TLS certificates and insecureSkipVerify are supported on ` +
        "ssl:// (tls://, mqtts://) servers only, not over WebSocket",
    );
  }
  const ws = new WebSocket(server, "mqtt");
  ws.binaryType = "arraybuffer";
  let closed = false;
  let congested = false;
  let failure: Error | undefined;
  ws.onopen = () => ev.open();
  ws.onmessage = (e) => {
    if (e.data instanceof ArrayBuffer) ev.data(new Uint8Array(e.data));
  };
  ws.onerror = (e) => failure ??= new Error((e as ErrorEvent).message || "websocket error");
  ws.onclose = () => {
    if (closed) return;
    closed = true;
    ev.close(failure);
  };
  const watchDrain = () => {
    if (closed) return;
    if (ws.bufferedAmount <= WS_HIGH_WATER / 2) {
      congested = false;
      ev.drain();
    } else {
      setTimeout(watchDrain, 10);
    }
  };
  return {
    write(bytes) {
      ws.send(bytes);
      if (!congested && ws.bufferedAmount > WS_HIGH_WATER) {
        congested = true;
        setTimeout(watchDrain, 10);
      }
      return !congested;
    },
    // A WebSocket cannot stop reading: messages wait in the client's frame reader instead.
    pause: () => {},
    resume: () => {},
    end: () => ws.close(),
    destroy: () => ws.close(),
  };
}
