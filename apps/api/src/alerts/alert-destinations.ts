import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import type { Env } from '../config/env.schema.js';
import { DatabaseService } from '../database/database.service.js';
import type { AlertFormat } from './alert-body.js';

/** Where one alert goes, how it is written and what signs it. */
export interface AlertDestination {
  url: string;
  format: AlertFormat;
  /** Absent: sent unsigned. */
  secret?: string;
  /** Whose webhook it is: the team's (`team:<id>`) or the global one (`global`). Safe to log. */
  owner: string;
}

/** A team's webhook settings, as cached (null: no such team). */
type TeamWebhook = { url: string | null; format: AlertFormat; secret: string | null } | null;

/** How long a team's webhook settings are cached. */
const TEAM_CACHE_TTL_MS = 30_000;

/**
 * Picks an alert's webhook: the team's (`Team.alertWebhookUrl`) for a call of a team, else
 * the global ALERT_WEBHOOK_URL. A team's secret signs what goes to its own webhook; the
 * global secret signs the rest (and a team webhook without a secret of its own).
 */
@Injectable()
export class AlertDestinations {
  private readonly global: Omit<AlertDestination, 'owner'> | undefined;
  private readonly globalSecret: string | undefined;
  private readonly teams = new LRUCache<string, { webhook: TeamWebhook }>({
    max: 1000,
    ttl: TEAM_CACHE_TTL_MS,
  });

  constructor(
    config: ConfigService<Env, true>,
    private readonly database: DatabaseService,
  ) {
    const url = config.get('ALERT_WEBHOOK_URL', { infer: true });
    this.globalSecret = config.get('ALERT_WEBHOOK_SECRET', { infer: true }) || undefined;
    const format = config.get('ALERT_WEBHOOK_FORMAT', { infer: true }) ?? 'json';
    this.global = url ? { url, format, secret: this.globalSecret } : undefined;
  }

  /** The destination of an alert of a call of `teamId` (if any); undefined when none is configured. */
  async resolve(teamId: string | undefined): Promise<AlertDestination | undefined> {
    if (teamId) {
      const team = await this.teamWebhook(teamId);
      if (team?.url) {
        return {
          url: team.url,
          format: team.format,
          secret: team.secret ?? this.globalSecret,
          owner: `team:${teamId}`,
        };
      }
    }
    return this.global ? { ...this.global, owner: 'global' } : undefined;
  }

  /** Drops a changed team's cached webhook here (other replicas see the change within the cache's 30 s). */
  forget(teamId: string): void {
    this.teams.delete(teamId);
  }

  private async teamWebhook(teamId: string): Promise<TeamWebhook> {
    const cached = this.teams.get(teamId);
    if (cached) return cached.webhook;
    const team = await this.database.prisma.team.findUnique({
      where: { id: teamId },
      select: { alertWebhookUrl: true, alertWebhookFormat: true, alertWebhookSecret: true },
    });
    const webhook: TeamWebhook = team && {
      url: team.alertWebhookUrl || null,
      format: team.alertWebhookFormat === 'slack' ? 'slack' : 'json',
      secret: team.alertWebhookSecret || null,
    };
    this.teams.set(teamId, { webhook });
    return webhook;
  }
}
