/**
 * Telling SQAI to forget (docs/sqai-contract.md "Tenancy and privacy"): one project when it is
 * disconnected or its sync is turned off (`DELETE /v1/tenants/{cloudId}/projects/{projectId}`), the
 * whole site when the app is uninstalled (`DELETE /v1/tenants/{cloudId}`, on Forge's
 * `avi:forge:uninstalled:app` lifecycle event). Best effort and said so: a purge SQAI does not
 * answer is logged (never with the token) and does not stop the disconnect; SQAI keeps its own
 * retention for data of a token that stopped calling (the contract).
 */
import { z } from 'zod';
import { SqaiClient } from '../clients/sqai';
import { Deadline } from '../clients/upstream';
import { toErrorDto } from '../errors';
import { cloudIdOf } from '../platform/install-context';
import type { Platform } from '../platform/ports';
import type { StoredSettings } from './schema';
import { SettingsStore } from './settings-store';

/** A purge waits this long at most (the disconnect resolver has 25 s in all). */
const PURGE_BUDGET_MS = 10_000;

/** Asks the project's SQAI to forget the project; `true` when SQAI accepted. */
export async function purgeProjectAtSqai(
  platform: Platform,
  cloudId: string,
  projectId: string,
  settings: StoredSettings,
): Promise<boolean> {
  const secrets = await new SettingsStore(platform).getSecrets(projectId, settings);
  if (!secrets.sqaiToken) return false;
  const client = new SqaiClient(
    { http: platform.http },
    { endpoint: settings.sqai.endpoint, token: secrets.sqaiToken },
    new Deadline(PURGE_BUDGET_MS),
  );
  try {
    await client.purge(cloudId, projectId);
    platform.log.info('SQAI purged the project', { projectId });
    return true;
  } catch (error) {
    platform.log.warn('SQAI did not purge the project', { projectId, code: toErrorDto(error).code });
    return false;
  }
}

const uninstalledEventSchema = z
  .object({ eventType: z.string().optional(), context: z.string().optional() })
  .loose();

/**
 * `avi:forge:uninstalled:app`: every SQAI a project of this site was connected to forgets the site
 * (once per endpoint and token). The site comes from the event's `context`
 * (`ari:cloud:jira::site/<cloudId>`) or the invocation's `installContext`.
 */
export async function purgeSiteAtSqai(
  platform: Platform,
  event: unknown,
  context: unknown,
): Promise<{ cloudId?: string; purged: number; failed: number }> {
  const parsed = uninstalledEventSchema.safeParse(event);
  const installContext =
    typeof context === 'object' && context !== null
      ? (context as { installContext?: unknown }).installContext
      : undefined;
  const cloudId = cloudIdOf(parsed.success ? parsed.data.context : undefined) ?? cloudIdOf(installContext);
  if (!cloudId) {
    platform.log.error('Uninstalled without a site in the event or context; SQAI not told');
    return { purged: 0, failed: 0 };
  }
  const store = new SettingsStore(platform);
  const seen = new Set<string>();
  let purged = 0;
  let failed = 0;
  for (const { projectId, settings } of await store.configuredProjects()) {
    const secrets = await store.getSecrets(projectId, settings);
    if (!secrets.sqaiToken) continue;
    const target = `${new URL(settings.sqai.endpoint).origin}\u0000${secrets.sqaiToken}`;
    if (seen.has(target)) continue;
    seen.add(target);
    const client = new SqaiClient(
      { http: platform.http },
      { endpoint: settings.sqai.endpoint, token: secrets.sqaiToken },
      new Deadline(PURGE_BUDGET_MS),
    );
    try {
      await client.purge(cloudId);
      purged += 1;
    } catch (error) {
      failed += 1;
      platform.log.warn('SQAI did not purge the site', { projectId, code: toErrorDto(error).code });
    }
  }
  platform.log.info('App uninstalled: SQAI asked to forget the site', { purged, failed });
  return { cloudId, purged, failed };
}
