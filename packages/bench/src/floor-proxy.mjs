// The floor: a bare pass-through proxy on undici.Pool, doing nothing a gateway does
// (no auth, no parsing, no logging). Our service's cost is compared with this one's.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.argv[2] ?? 0);
const upstream = process.argv[3];
const pool = new Pool(upstream, { connections: 256, pipelining: 1 });

const server = createServer(async (req, res) => {
  try {
    const { statusCode, headers, body } = await pool.request({
      path: req.url,
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body: req,
    });
    res.writeHead(statusCode, { 'content-type': headers['content-type'] });
    for await (const part of body) res.write(part);
    res.end();
  } catch (error) {
    res.writeHead(502);
    res.end(String(error));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
