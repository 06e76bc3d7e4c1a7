/**
 * WebSocket peers a test runs: a server that records what its clients send and can push to
 * them, and a client that records what it receives.
 */

/** A WebSocket server on 127.0.0.1 (`port` 0: a free one). */
export function webSocketServerPeer(port = 0) {
  const received: string[] = [];
  const sockets = new Set<WebSocket>();
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, signal: ac.signal, onListen() {} },
    (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onopen = () => sockets.add(socket);
      socket.onmessage = (e) => received.push(String(e.data));
      socket.onclose = () => sockets.delete(socket);
      return response;
    },
  );
  return {
    port: server.addr.port,
    addr: `127.0.0.1:${server.addr.port}`,
    received,
    sockets,
    send(s: string) {
      for (const ws of sockets) ws.send(s);
    },
    async stop() {
      for (const ws of sockets) ws.close();
      ac.abort();
      await server.finished;
    },
  };
}

/** A WebSocket client of `url`. */
export function webSocketClientPeer(url: string) {
  const ws = new WebSocket(url);
  const got: string[] = [];
  ws.onmessage = (e) => got.push(String(e.data));
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
  const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
  return { ws, got, opened, closed };
}
