import { randomUUID } from 'node:crypto';
import type { BudgetSpend, LimitStore } from '@aigw/ai';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { LIMIT_STORE } from '../limits/limit-tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { alertRequestBody, budgetAlertBody } from './alert-body.js';
import { type AlertDestination, AlertDestinations } from './alert-destinations.js';
import { ALERT_ID_HEADER, ALERT_SIGNATURE_HEADER, signAlert } from './alert-signature.js';
import { alertClaimKey, alertClaimTtlMs, crossedThresholds } from './alert-thresholds.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, deliverWebhook } from './webhook-delivery.js';

/** The longest a shutdown waits for the deliveries still going. */
const SHUTDOWN_WAIT_MS = 2000;

/**
 * Spend alerts: told each budget's spend after every settled call (GatewayAiModule wires
 * it as AiModule's `limits.onBudgetSpend`), it sends a webhook once per threshold and
 * period, across replicas (the first replica to claim it in the LimitStore sends it).
 */
@Injectable()
export class BudgetAlerts implements OnApplicationShutdown {
  private readonly logger = new Logger('BudgetAlerts');
  /** Deliveries (and their claims) still going. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborted at shutdown: deliveries still retrying then are abandoned. */
  private readonly stopping = new AbortController();
  /** Claims known to be taken (by this replica or another): the store need not be asked again. */
  private readonly claimed = new LRUCache<string, true>({ max: 10_000 });
  /** Webhooks already warned about for having no secret. */
  private readonly unsignedWarned = new Set<string>();
  /** How deliveries are tried (replaceable in tests). */
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY;

  constructor(
    @Inject(LIMIT_STORE) private readonly store: LimitStore,
    private readonly destinations: AlertDestinations,
    private readonly metrics: MetricsService,
  ) {}

  /** Must not throw and must not block the call: delivery runs in the background. */
  onSpend(spend: BudgetSpend): void {
    if (this.stopping.signal.aborted) return;
    try {
      const thresholds = crossedThresholds(spend).filter(
        (threshold) => !this.claimed.has(alertClaimKey(spend.account, spend.amountUsd, threshold)),
      );
      if (thresholds.length > 0) this.track(this.alert(spend, thresholds), spend);
    } catch (error) {
      this.logger.warn(`Budget alert of ${describeBudget(spend)} skipped: ${(error as Error).message}`);
    }
  }

  /** Resolves once every delivery started so far has ended (for tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
      clearTimeout(timer);
    }
    this.stopping.abort();
  }

  private track(task: Promise<void>, spend: BudgetSpend): void {
    const tracked: Promise<void> = task
      .catch((error: Error) =>
        this.logger.warn(`Budget alert of ${describeBudget(spend)} not sent: ${error.message}`),
      )
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Claims each threshold's alert and starts the delivery of those this replica claimed first. */
  private async alert(spend: BudgetSpend, thresholds: number[]): Promise<void> {
    const teamId = spend.rule.scope === 'team' ? spend.rule.id : spend.teamId;
    const destination = await this.destinations.resolve(teamId);
    if (!destination) {
      this.logger.debug(
        `Budget alert of ${describeBudget(spend)}: no alert webhook configured, nothing sent`,
      );
      return;
    }
    const ttlMs = alertClaimTtlMs(spend.resetsAtMs, Date.now());
    for (const threshold of thresholds) {
      const key = alertClaimKey(spend.account, spend.amountUsd, threshold);
      if (this.claimed.has(key)) continue;
      const { allowed } = await this.store.hit(key, 1, 1, ttlMs);
      this.claimed.set(key, true);
      if (allowed) this.track(this.send(spend, threshold, destination), spend);
    }
  }

  /** Delivers one alert and records how it ended. */
  private async send(spend: BudgetSpend, threshold: number, destination: AlertDestination): Promise<void> {
    const id = randomUUID();
    const body = alertRequestBody(budgetAlertBody(spend, threshold, id, Date.now()), destination.format);
    const { secret } = destination;
    if (!secret && !this.unsignedWarned.has(destination.owner)) {
      this.unsignedWarned.add(destination.owner);
      this.logger.warn(
        `Budget alerts to the ${destination.owner} webhook are sent unsigned: set ${
          destination.owner === 'global' ? 'ALERT_WEBHOOK_SECRET' : "the team's alertWebhookSecret"
        } so receivers can verify them`,
      );
    }
    const headers = (): Record<string, string> =>
      secret
        ? { [ALERT_ID_HEADER]: id, [ALERT_SIGNATURE_HEADER]: signAlert(secret, body) }
        : { [ALERT_ID_HEADER]: id };
    const outcome = await deliverWebhook(
      { url: destination.url, body, headers },
      this.policy,
      this.stopping.signal,
    );
    this.metrics.recordAlertDelivery(outcome.delivered ? 'delivered' : 'failed');
    const what = `Budget alert ${id} (${describeBudget(spend)} reached ${threshold})`;
    if (outcome.delivered) {
      this.logger.log(`${what} delivered to the ${destination.owner} webhook`);
    } else {
      this.logger.warn(
        `${what} not delivered to the ${destination.owner} webhook after ${outcome.attempts} attempt(s): ${outcome.reason}`,
      );
    }
  }
}

/** A budget, for the log: scope, id and period (never a secret). */
function describeBudget({ rule }: BudgetSpend): string {
  return `${rule.scope} ${rule.id} ${rule.period} budget`;
}
