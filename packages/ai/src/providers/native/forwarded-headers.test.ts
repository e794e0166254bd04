import { describe, expect, it } from '@jest/globals';
import { forwardedHeaders, withForwardedHeaders } from './forwarded-headers.js';

describe('forwardedHeaders', () => {
  const incoming = {
    authorization: 'Bearer sk-gw-caller',
    'x-api-key': 'sk-gw-caller',
    connection: 'keep-alive',
    'transfer-encoding': 'chunked',
    host: 'gateway',
    'anthropic-beta': ['a-2025', 'b-2026'],
    'anthropic-version': '2023-06-01',
    'openai-beta': 'assistants=v2',
    'x-app': 'cli',
  };

  it('passes on only what changes what the provider does, per format', () => {
    expect(forwardedHeaders('anthropic-messages', incoming)).toEqual({
      'anthropic-beta': 'a-2025,b-2026',
      'anthropic-version': '2023-06-01',
    });
    expect(forwardedHeaders('openai-chat', incoming)).toEqual({ 'openai-beta': 'assistants=v2' });
    expect(forwardedHeaders('openai-responses', incoming)).toEqual({ 'openai-beta': 'assistants=v2' });
  });

  it('never the caller credentials, nor hop-by-hop headers', () => {
    const all = {
      ...forwardedHeaders('anthropic-messages', incoming),
      ...forwardedHeaders('openai-chat', incoming),
      ...forwardedHeaders('openai-responses', incoming),
    };
    for (const name of ['authorization', 'x-api-key', 'connection', 'transfer-encoding', 'host']) {
      expect(all).not.toHaveProperty(name);
    }
  });
});

describe('withForwardedHeaders', () => {
  it("puts the caller's headers over the configured ones, joining beta lists", () => {
    expect(
      withForwardedHeaders(
        { 'Anthropic-Beta': 'admin-beta', 'x-team': 'a', 'anthropic-version': '2023-06-01' },
        { 'anthropic-beta': 'caller-beta,admin-beta', 'anthropic-version': '2026-10-21' },
      ),
    ).toEqual({
      'anthropic-beta': 'admin-beta,caller-beta',
      'x-team': 'a',
      'anthropic-version': '2026-10-21',
    });
  });
});
