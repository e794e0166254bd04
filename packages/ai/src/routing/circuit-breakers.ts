import {
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { AIError } from '../errors/ai-error.js';

/** A breaker's state as /health and /metrics show it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** When a target's breaker opens, and when it is probed again. */
export interface BreakerSettings {
  /** Consecutive failures that open the breaker (default 5). */
  consecutiveFailures: number;
  /** How long it stays open before one probe call is let through (default 30 s). */
  halfOpenAfterMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { consecutiveFailures: 5, halfOpenAfterMs: 30_000 };

/** Failures that say the target is unwell (not the caller's mistake). */
function isTargetFailure(error: Error): boolean {
  return (
    error instanceof AIError &&
    ['upstream_error', 'timeout', 'connection_error', 'rate_limited'].includes(error.code)
  );
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One circuit breaker per provider (a provider entry is one upstream key), from
 * cockatiel: opens after consecutive failures, rejects calls at once while open, lets
 * one probe through when half-open, closes on its success.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly isolations = new Map<string, { dispose(): void }>();

  constructor(
    readonly settings: BreakerSettings = DEFAULT_BREAKER_SETTINGS,
    private readonly onStateChange?: (target: string, state: BreakerState) => void,
    /** Told when a breaker opens from its own failures (not from another replica's mark). */
    private readonly onOpen?: (target: string, untilMs: number) => void,
  ) {}

  /** The breaker of a target, made on first use. */
  for(target: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(target);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(isTargetFailure), {
        halfOpenAfter: this.settings.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.settings.consecutiveFailures),
      });
      breaker.onStateChange((state) => this.onStateChange?.(target, STATE_NAMES[state]));
      breaker.onBreak((reason) => {
        if (!('isolated' in reason)) this.onOpen?.(target, Date.now() + this.settings.halfOpenAfterMs);
      });
      this.breakers.set(target, breaker);
    }
    return breaker;
  }

  /**
   * Holds a target open until `untilMs` because another replica saw it fail; after
   * that the breaker is closed again and the next failures decide.
   */
  isolateUntil(target: string, untilMs: number): void {
    const breaker = this.for(target);
    const ms = untilMs - Date.now();
    if (ms <= 0 || this.isolations.has(target) || breaker.state === CircuitState.Open) return;
    const handle = breaker.isolate();
    this.isolations.set(target, handle);
    setTimeout(() => {
      this.isolations.delete(target);
      handle.dispose();
    }, ms).unref();
  }

  /** Every breaker made so far, by target. */
  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([target, b]) => [target, STATE_NAMES[b.state]]));
  }
}
