import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/admin-key.guard.js';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '../database/database-unreachable.js';
import { CallerLimiter } from '../limits/caller-limiter.js';
import { ApiKeysService } from './api-keys.service.js';
import type { Caller } from './caller.js';

type RequestWithCaller = FastifyRequest & { caller?: Caller };

/**
 * Admits requests carrying a valid virtual key: `Authorization: Bearer <key>`, or
 * `x-api-key: <key>` (as Anthropic clients send it). The key's user becomes the caller,
 * and the request counts against the key's and its team's rpmLimit and maxParallel (429
 * past them). An expired key is a 401 that says so.
 */
@Injectable()
export class VirtualKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly limiter: CallerLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const apiKeyHeader = request.headers['x-api-key'];
    const token =
      bearerToken(request.headers.authorization) ??
      (typeof apiKeyHeader === 'string' ? apiKeyHeader.trim() : undefined);
    if (!token) {
      throw new UnauthorizedException(
        'Missing API key: send `Authorization: Bearer <key>` (or `x-api-key: <key>`) with a key issued by POST /admin/keys.',
      );
    }
    const caller = await this.keys.verify(token).catch((error: unknown) => {
      if (!isDatabaseUnreachable(error)) throw error;
      throw new DatabaseUnavailableError(
        'The key store (the database) is unreachable and this API key was not verified in the last moments, ' +
          'so it cannot be checked now; retry in a few seconds.',
      );
    });
    if (!caller) {
      const expired = await this.keys.expiredAt(token);
      throw new UnauthorizedException(
        expired
          ? `This API key expired at ${expired.toISOString()}; an admin can extend its expiresAt or issue a new key.`
          : 'Invalid or revoked API key.',
      );
    }
    request.caller = caller;
    // Only once the key is known good: an unknown key must not use up anyone's limit.
    await this.limiter.admit(caller, context.switchToHttp().getResponse<FastifyReply>());
    return true;
  }
}

/** The verified caller of this request (routes behind VirtualKeyGuard). */
export const CallerOf = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new UnauthorizedException('Missing API key.');
  return caller;
});
