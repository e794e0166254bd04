// A loopback upstream that answers OpenAI and Anthropic requests at once (or after
// DELAY_MS), with real wire formats and usage blocks. Run as its own process so its CPU
// is not counted against the server under test.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const delayMs = Number(process.argv[3] ?? 0);
// Slow streams, for the open-streams memory case: one event every STREAM_EVENT_MS.
const streamEventMs = Number(process.env.STREAM_EVENT_MS ?? 0);
const streamEvents = Number(process.env.STREAM_EVENTS ?? 5);

const openaiJson = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1763000000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from the bench upstream.', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 21,
    completion_tokens: 9,
    total_tokens: 30,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  },
});
const chunk = (delta, finish = null, extra = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1763000000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
const openaiStream = (n) => [
  chunk({ role: 'assistant', content: '' }),
  ...Array.from({ length: n }, (_, i) => chunk({ content: `word${i} ` })),
  chunk({}, 'stop'),
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1763000000, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 21, completion_tokens: n, total_tokens: 21 + n } })}\n\n`,
  'data: [DONE]\n\n',
];
const anthropicJson = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text: 'Hello from the bench upstream.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 21, output_tokens: 9, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
});
const sse = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const anthropicStream = (n) => [
  sse('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_bench',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 21,
        output_tokens: 1,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
    },
  }),
  sse('content_block_start', {
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'text', text: '' },
  }),
  ...Array.from({ length: n }, (_, i) =>
    sse('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: `word${i} ` },
    }),
  ),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: n },
  }),
  sse('message_stop', { type: 'message_stop' }),
];

const wait = (ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

const server = createServer(async (req, res) => {
  let body = '';
  for await (const part of req) body += part;
  const stream = body.includes('"stream":true');
  const anthropic = req.url?.startsWith('/v1/messages');
  await wait(delayMs);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"object":"list","data":[]}');
    return;
  }
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(anthropic ? anthropicJson : openaiJson);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const events = anthropic ? anthropicStream(streamEvents) : openaiStream(streamEvents);
  for (const event of events) {
    if (res.destroyed) return;
    res.write(event);
    await wait(streamEventMs);
  }
  res.end();
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
