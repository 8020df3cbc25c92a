/**
 * The audit trail on the settings page (project admins): a page of entries with filters
 * (getAuditTrail) and the file of them (exportAuditTrail). Payloads are strict, each field's error
 * named; the use cases are src/audit/store.ts and src/audit/export.ts.
 */
import { z } from 'zod';
import { RESOLVERS, type AuditTrailDto } from '../api';
import { exportAudit } from '../audit/export';
import { listAudit, retentionDaysOf, type AuditFilters } from '../audit/store';
import { SettingsStore } from '../config/settings-store';
import type { Platform } from '../platform/ports';
import { defineResolver, projectAdmin } from './define';

export const AUDIT_PAGE_DEFAULT = 50;

const isoDate = (field: string) =>
  z
    .string({ message: `Enter ${field} as YYYY-MM-DD.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${field} as YYYY-MM-DD.`)
    .refine(
      (value) => {
        const time = Date.parse(`${value}T00:00:00Z`);
        return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
      },
      `${field[0]?.toUpperCase() ?? ''}${field.slice(1)} is not a date.`,
    );

const filterShape = {
  direction: z.enum(['sent', 'received'], { message: 'Choose sent or received.' }).optional(),
  issueKey: z
    .string({ message: 'Enter an issue key such as DEMO-1.' })
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}-\d{1,18}$/, 'Enter an issue key such as DEMO-1.')
    .transform((value) => value.toUpperCase())
    .optional(),
  from: isoDate('the first day').optional(),
  to: isoDate('the last day').optional(),
};

const fromNotAfterTo = (value: { from?: string | undefined; to?: string | undefined }) =>
  value.from === undefined || value.to === undefined || value.from <= value.to;
const rangeError = { message: 'The first day must not be after the last day.', path: ['to'] };

export const getAuditTrailInputSchema = z
  .object({
    ...filterShape,
    cursor: z.string({ message: 'Invalid cursor.' }).min(1).max(4_000, 'Invalid cursor.').optional(),
    limit: z
      .number({ message: 'The page size is a number from 1 to 100.' })
      .int('The page size is a number from 1 to 100.')
      .min(1, 'The page size is a number from 1 to 100.')
      .max(100, 'The page size is a number from 1 to 100.')
      .optional(),
  })
  .strict()
  .refine(fromNotAfterTo, rangeError);

export const exportAuditTrailInputSchema = z
  .object({ ...filterShape, format: z.enum(['csv', 'json'], { message: 'Choose CSV or JSON.' }) })
  .strict()
  .refine(fromNotAfterTo, rangeError);

const filtersOf = (input: AuditFilters): AuditFilters => ({
  ...(input.direction ? { direction: input.direction } : {}),
  ...(input.issueKey ? { issueKey: input.issueKey } : {}),
  ...(input.from ? { from: input.from } : {}),
  ...(input.to ? { to: input.to } : {}),
});

async function retentionOf(platform: Platform, projectId: string): Promise<number> {
  return retentionDaysOf(await new SettingsStore(platform).get(projectId));
}

export const auditResolvers = {
  [RESOLVERS.getAuditTrail]: defineResolver(
    RESOLVERS.getAuditTrail,
    { access: projectAdmin, payload: getAuditTrailInputSchema },
    async (ctx, input, platform): Promise<AuditTrailDto> => {
      const retentionDays = await retentionOf(platform, ctx.project.id);
      const page = await listAudit(
        platform,
        ctx.project.id,
        filtersOf(input),
        input.cursor,
        input.limit ?? AUDIT_PAGE_DEFAULT,
        retentionDays,
      );
      return {
        entries: page.entries,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        retentionDays,
      };
    },
  ),

  [RESOLVERS.exportAuditTrail]: defineResolver(
    RESOLVERS.exportAuditTrail,
    { access: projectAdmin, payload: exportAuditTrailInputSchema },
    async (ctx, input, platform) =>
      exportAudit(
        platform,
        ctx.project.id,
        ctx.project.key,
        filtersOf(input),
        input.format,
        await retentionOf(platform, ctx.project.id),
      ),
  ),
};
