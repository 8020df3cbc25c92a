/**
 * The Xray and SQAI clients of one configured project, built from its stored settings and secrets.
 * A project without both secrets is NOT_CONFIGURED.
 */
import { SqaiClient } from '../clients/sqai';
import type { Deadline } from '../clients/upstream';
import { XrayClient } from '../clients/xray/client';
import { siteBudget } from '../clients/xray/rate-budget';
import type { StoredSettings } from '../config/schema';
import { keys, SettingsStore, type ProjectSecrets } from '../config/settings-store';
import { AppError } from '../errors';
import type { Platform } from '../platform/ports';

export interface ProjectClients {
  settings: StoredSettings;
  xray: XrayClient;
  sqai: SqaiClient;
}

export function clientsFor(
  platform: Platform,
  projectId: string,
  settings: StoredSettings,
  secrets: ProjectSecrets,
  deadline?: Deadline,
): ProjectClients {
  if (!secrets.xrayClientSecret || !secrets.sqaiToken) throw new AppError('NOT_CONFIGURED');
  const xray = new XrayClient(
    {
      http: platform.http,
      now: () => platform.clock.now(),
      tokenStore: { secrets: platform.secrets, key: keys.xrayToken(projectId) },
      // One installation is one site: every project's requests share the site's budget.
      budget: siteBudget(platform, settings.xray.tier),
    },
    {
      clientId: settings.xray.clientId,
      clientSecret: secrets.xrayClientSecret,
      region: settings.xray.region,
    },
    deadline,
  );
  const sqai = new SqaiClient(
    { http: platform.http },
    { endpoint: settings.sqai.endpoint, token: secrets.sqaiToken },
    deadline,
  );
  return { settings, xray, sqai };
}

/** Settings + secrets + clients of a project; `null` when it is not (fully) configured. */
export async function findProjectClients(
  platform: Platform,
  projectId: string,
  deadline?: Deadline,
): Promise<ProjectClients | null> {
  const store = new SettingsStore(platform);
  const settings = await store.get(projectId);
  if (!settings) return null;
  // The secrets these settings name; the token only for the endpoint it was entered for.
  const secrets = await store.getSecrets(projectId, settings);
  if (!secrets.xrayClientSecret || !secrets.sqaiToken) return null;
  return clientsFor(platform, projectId, settings, secrets, deadline);
}

/** Settings + secrets + clients of a project, or NOT_CONFIGURED. */
export async function loadProjectClients(
  platform: Platform,
  projectId: string,
  deadline?: Deadline,
): Promise<ProjectClients> {
  const clients = await findProjectClients(platform, projectId, deadline);
  if (!clients) throw new AppError('NOT_CONFIGURED');
  return clients;
}
