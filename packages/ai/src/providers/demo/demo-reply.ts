import type { ChatMessage } from '../../types/chat-message.js';
import type { ChatRequest } from '../../types/chat-request.js';

/** The text of the last user message (what the demo answer is about). */
export function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content
      .map((part) => (part.type === 'text' ? part.text : '[image]'))
      .join(' ')
      .trim();
  }
  return '';
}

const QUOTE_CHARS = 160;

/**
 * The demo provider's answer: a function of the request alone, so the same prompt always
 * gets the same reply (tests and screenshots can rely on it). It says plainly that no
 * model answered, so nobody mistakes it for one.
 */
export function demoReply(request: Pick<ChatRequest, 'messages' | 'responseFormat'>): string {
  const said = lastUserText(request.messages).replace(/\s+/g, ' ').trim();
  const words = said ? said.split(' ').length : 0;
  const quoted = said.length > QUOTE_CHARS ? `${said.slice(0, QUOTE_CHARS)}…` : said;
  if (request.responseFormat && request.responseFormat.type !== 'text') {
    return JSON.stringify({ demo: true, echo: quoted, words });
  }
  return [
    'Demo reply from the aigw demo provider: no model was called and nothing left this machine.',
    quoted ? `You wrote ${words} word${words === 1 ? '' : 's'}: "${quoted}".` : 'Your message had no text.',
    'Set OPENAI_API_KEY or ANTHROPIC_API_KEY (or another provider key) for real answers.',
  ].join(' ');
}

/** Splits text into stream deltas of a few words each, as a model's tokens would arrive. */
export function demoDeltas(text: string, wordsPerDelta = 3): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const deltas: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerDelta)
    deltas.push(words.slice(i, i + wordsPerDelta).join(''));
  return deltas;
}

/** `[demo-error]` or `[demo-error:429]` in the prompt: the status of the failure it asks for. */
export function requestedFailure(messages: ChatMessage[]): number | undefined {
  const match = /\[demo-error(?::(\d{3}))?\]/.exec(lastUserText(messages));
  if (!match) return undefined;
  return match[1] ? Number(match[1]) : 503;
}
