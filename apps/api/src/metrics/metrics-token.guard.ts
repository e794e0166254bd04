import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { bearerToken, secretsEqual } from '../auth/admin-key.guard.js';
import type { Env } from '../config/env.schema.js';

/** Open by default; with METRICS_TOKEN (or METRICS_BEARER_TOKEN) set, `/metrics` needs `Authorization: Bearer <token>`. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly token: string | undefined;

  constructor(config: ConfigService<Env, true>) {
    this.token =
      config.get('METRICS_TOKEN', { infer: true }) ?? config.get('METRICS_BEARER_TOKEN', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const given = bearerToken(request.headers.authorization);
    if (!given || !secretsEqual(given, this.token)) {
      throw new UnauthorizedException('This route needs `Authorization: Bearer <METRICS_TOKEN>`.');
    }
    return true;
  }
}
