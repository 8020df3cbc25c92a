/** Reading `npm audit --json` (npm 7+ format): which high/critical advisories are not explained. */
import { z } from 'zod';

export const exceptionsSchema = z.array(
  z.object({ advisory: z.string().min(1), package: z.string().min(1), why: z.string().min(20) }),
);

export const auditReportSchema = z.object({
  vulnerabilities: z.record(
    z.string(),
    z.object({
      severity: z.string(),
      via: z.array(
        z.union([
          z.string(),
          z.object({ url: z.string().optional(), title: z.string().optional(), severity: z.string() }),
        ]),
      ),
    }),
  ),
});

export type AuditReport = z.infer<typeof auditReportSchema>;

/** One line per high/critical advisory not in `allowed` (advisory ids such as GHSA-xxxx-xxxx-xxxx). */
export function blockingAdvisories(report: AuditReport, allowed: ReadonlySet<string>): string[] {
  const blocking: string[] = [];
  for (const [name, entry] of Object.entries(report.vulnerabilities)) {
    for (const via of entry.via) {
      // A string names the dependency it comes through; the advisory is reported under that package.
      if (typeof via === 'string') continue;
      if (via.severity !== 'high' && via.severity !== 'critical') continue;
      const id = via.url?.split('/').pop() ?? 'unknown';
      if (allowed.has(id)) continue;
      blocking.push(`${via.severity.toUpperCase()} ${name}: ${via.title ?? ''} (${via.url ?? 'no link'})`);
    }
  }
  return blocking;
}
