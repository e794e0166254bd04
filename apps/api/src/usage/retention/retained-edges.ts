import { BadRequestException } from '@nestjs/common';

const DAY_MS = 86_400_000;

/**
 * Refuses a summary range that starts or ends mid-day on a day older than USAGE_RETENTION_DAYS:
 * such an edge is read from raw rows retention has deleted (whole days come from the daily
 * rollup, which keeps them), so its figures would be wrong, too low or too high. A margin of
 * a day covers a run that is late.
 */
export function checkRetainedEdges(
  range: { from: Date; to: Date },
  retentionDays: number | undefined,
  now: number,
): void {
  if (retentionDays === undefined) return;
  const cutoff = now - (retentionDays + 1) * DAY_MS;
  for (const [name, at] of [
    ['from', range.from],
    ['to', range.to],
  ] as const) {
    if (at.getTime() % DAY_MS !== 0 && at.getTime() < cutoff) {
      throw new BadRequestException(
        `${name}: ${at.toISOString()} falls inside a UTC day whose usage rows were deleted ` +
          `(USAGE_RETENTION_DAYS=${retentionDays}); only whole days are summed that far back: ` +
          `use ${new Date(at.getTime() - (at.getTime() % DAY_MS)).toISOString().slice(0, 10)} or the day after.`,
      );
    }
  }
}
