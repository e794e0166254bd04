import { Agent } from 'undici';

/** Limits of the keep-alive pool; each origin (scheme, host, port) gets its own sockets. */
export interface KeepAliveAgentOptions {
  /**
   * Sockets per origin (default: no cap, as with the global fetch). A streaming call holds
   * one for its whole length; calls past a cap wait for a free socket.
   */
  connections?: number;
  /** How long an idle socket is kept, in ms (a server's `Keep-Alive: timeout` hint wins when shorter). */
  keepAliveTimeoutMs?: number;
}

/**
 * An undici Agent that keeps sockets alive between calls, one request at a time per
 * socket (no pipelining). Header and body timeouts stay at undici's 300 s, as for the
 * global fetch; the SDKs time calls themselves.
 */
export function createKeepAliveAgent(options: KeepAliveAgentOptions = {}): Agent {
  return new Agent({
    connections: options.connections ?? null,
    pipelining: 1,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
  });
}
