// The floor: a bare pass-through proxy on undici.Pool, doing nothing a gateway does
// (no auth, no parsing, no logging). Our service's cost is compared with this one's.
import { Pool } from 'undici';
import { serveReference } from './reference-server.mjs';

const port = Number(process.argv[2] ?? 0);
const upstream = process.argv[3];
const pool = new Pool(upstream, { connections: 256, pipelining: 1 });

serveReference(port, async (req, res) => {
  const { statusCode, headers, body } = await pool.request({
    path: req.url,
    method: req.method,
    headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
    body: req,
  });
  res.writeHead(statusCode, { 'content-type': headers['content-type'] });
  for await (const part of body) res.write(part);
  res.end();
});
