import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/admin-key.guard.js';
import { KeyRateLimiter } from '../limits/key-rate-limiter.js';
import { ApiKeysService, type Caller } from './api-keys.service.js';

type RequestWithCaller = FastifyRequest & { caller?: Caller };

/**
 * Admits requests carrying a valid virtual key: `Authorization: Bearer <key>`, or
 * `x-api-key: <key>` (as Anthropic clients send it). The key's user becomes the caller,
 * and the request counts against the key's rpmLimit (429 past it).
 */
@Injectable()
export class VirtualKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly rateLimiter: KeyRateLimiter,
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
    const caller = await this.keys.verify(token);
    if (!caller) throw new UnauthorizedException('Invalid or revoked API key.');
    request.caller = caller;
    // Only once the key is known good: an unknown key must not use up anyone's limit.
    await this.rateLimiter.check(caller);
    return true;
  }
}

/** The verified caller of this request (routes behind VirtualKeyGuard). */
export const CallerOf = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new UnauthorizedException('Missing API key.');
  return caller;
});
