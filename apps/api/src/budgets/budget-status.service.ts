import { AiRuntime, type BudgetRule, picoToUsd, usdToPico } from '@aigw/ai';
import { Injectable } from '@nestjs/common';
import { DEFAULT_ALERT_THRESHOLDS } from './budget.js';

/** A budget as it stands in its current period, as the admin API shows it. */
export interface BudgetStatus {
  scope: BudgetRule['scope'];
  id: string;
  name: string;
  period: BudgetRule['period'];
  amountUsd: string;
  /** Spent by finished calls this period (USD decimal string). */
  spentUsd: string;
  /** Held by calls in progress. */
  reservedUsd: string;
  /** spentUsd / amountUsd (1 = all used); null for a zero budget. */
  usedFraction: number | null;
  /** Start of the current period (ISO); null for a `total` budget. */
  periodStart: string | null;
  resetsAt: string | null;
  alertThresholds: number[];
  /** ok; alert: at or past its lowest alert threshold; exceeded: at or past the amount. */
  state: 'ok' | 'alert' | 'exceeded';
}

/** Where budgets stand: read from the same accounts the calls reserve in (so it counts what enforcement counts). */
@Injectable()
export class BudgetStatusService {
  constructor(private readonly runtime: AiRuntime) {}

  async statuses(rules: BudgetRule[]): Promise<BudgetStatus[]> {
    return Promise.all(rules.map((rule) => this.status(rule)));
  }

  private async status(rule: BudgetRule): Promise<BudgetStatus> {
    const standing = await this.runtime.budgets.standing(rule);
    const amountPico = usdToPico(rule.amountUsd, 'floor');
    const used = amountPico > 0n ? Number((standing.spentPico * 1_000_000n) / amountPico) / 1_000_000 : null;
    const thresholds = rule.alertThresholds?.length ? rule.alertThresholds : DEFAULT_ALERT_THRESHOLDS;
    const exceeded = standing.spentPico >= amountPico;
    const alert = used !== null && used >= Math.min(...thresholds);
    const { window } = standing;
    return {
      scope: rule.scope,
      id: rule.id,
      name: rule.name ?? rule.id,
      period: rule.period,
      amountUsd: rule.amountUsd,
      spentUsd: picoToUsd(standing.spentPico),
      reservedUsd: picoToUsd(standing.reservedPico),
      usedFraction: used,
      periodStart: window.resetsAtMs === null ? null : new Date(window.startMs).toISOString(),
      resetsAt: window.resetsAtMs === null ? null : new Date(window.resetsAtMs).toISOString(),
      alertThresholds: thresholds,
      state: exceeded ? 'exceeded' : alert ? 'alert' : 'ok',
    };
  }
}
