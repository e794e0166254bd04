// A second reference beside the floor: a pass-through proxy that makes each call with the
// official SDK (`openai` for /v1/chat/completions, `@anthropic-ai/sdk` for /v1/messages)
// over the transport the gateway gives them (@aigw/ai's sharedFetch), and does nothing
// else — no auth, routing, validation, usage rows, metrics or logs. What it costs over
// the floor is the SDKs' own share; what the gateway costs over it is ours.
import { sharedFetch } from '@aigw/ai';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { serveReference } from './reference-server.mjs';

const port = Number(process.argv[2] ?? 0);
const upstream = process.argv[3];
const openai = new OpenAI({
  apiKey: 'sk-proxy-key',
  baseURL: `${upstream}/v1`,
  maxRetries: 0,
  fetch: sharedFetch,
});
const anthropic = new Anthropic({
  apiKey: 'sk-ant-proxy-key',
  baseURL: upstream,
  maxRetries: 0,
  fetch: sharedFetch,
});

async function readJson(req) {
  const parts = [];
  for await (const part of req) parts.push(part);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

serveReference(port, async (req, res) => {
  const body = await readJson(req);
  const call =
    req.url === '/v1/messages' ? anthropic.messages.create(body) : openai.chat.completions.create(body);
  const result = await call;
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for await (const event of result) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end();
});
