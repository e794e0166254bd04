import { createServer } from 'node:http';

/**
 * Serves a reference proxy of the bench (the floor, the SDK proxy) on loopback `port`
 * (0: any), with kept-alive connections, and tells the parent process its port. A
 * handler that throws answers 502 with the error's text.
 */
export function serveReference(port, handler) {
  const server = createServer(async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
  return server;
}
