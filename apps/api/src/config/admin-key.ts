import { randomBytes } from 'node:crypto';

/** The admin bearer token in force, and whether this run made it up. */
export interface AdminKey {
  value: string;
  generated: boolean;
}

/** ADMIN_API_KEY when set; otherwise a random key for this run only. */
export function resolveAdminKey(configured: string | undefined): AdminKey {
  if (configured) return { value: configured, generated: false };
  return { value: `sk-admin-${randomBytes(24).toString('base64url')}`, generated: true };
}
