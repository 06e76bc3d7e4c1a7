/** Loopback ports for tests and benchmarks: a free one, and waiting for one to open. */
import net from "node:net";

/** A free loopback TCP port (bind to 0, read, release). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `port` accepts connections; rejects after `ms` or when `exited()` says the
 * process that should listen there is gone. */
export function waitForPort(
  port: number,
  ms: number,
  exited: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve();
      });
      s.once("error", () => {
        s.destroy();
        if (exited()) reject(new Error(`process for port ${port} exited before listening`));
        else if (Date.now() > deadline) reject(new Error(`port ${port} never opened`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}
