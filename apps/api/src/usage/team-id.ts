import { z } from 'zod';

/**
 * `teamId=<uuid>`: a team's id, in lower case as the database writes a uuid as text (the
 * usage rollup keeps teams as text).
 */
export const teamIdFilter = z
  .guid('must be a team id (a UUID)')
  .transform((id) => id.toLowerCase())
  .optional()
  .describe('Only rows charged to this team (its id)');
