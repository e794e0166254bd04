import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { AdminKey } from '../config/admin-key.js';

/** Injection token of the admin key in force (ADMIN_API_KEY, or the one generated at start). */
export const ADMIN_KEY = Symbol('ADMIN_KEY');

/** The bearer token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Compares two secrets in time that does not depend on where they differ, or on their lengths. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Lets a request through only with `Authorization: Bearer <admin key>`. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  constructor(@Inject(ADMIN_KEY) private readonly adminKey: AdminKey) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const token = bearerToken(request.headers.authorization);
    if (!token || !secretsEqual(token, this.adminKey.value)) {
      throw new UnauthorizedException('This route needs `Authorization: Bearer <ADMIN_API_KEY>`.');
    }
    return true;
  }
}
