/**
 * Per-project settings in KVS and secrets in Forge secret storage (DESIGN.md §4):
 *   settings:<projectId>        the stored settings record (no secrets)
 *   check:<projectId>           the last connection report
 *   secret:<projectId>:xray     the Xray Client Secret
 *   secret:<projectId>:sqai     the SQAI API token, with the origin it was entered for
 *   secret:<projectId>:xray-token  the cached Xray bearer token (see clients/xray/client.ts)
 *   secret:<projectId>:delivery    the secret SQAI signs web trigger deliveries with
 */
import { z } from 'zod';
import type { ConnectionReport, SecretState } from '../api';
import type { Platform } from '../platform/ports';
import { registerSecret } from '../platform/redact';
import { storedSettingsSchema, type StoredSettings } from './schema';

export const keys = {
  settings: (projectId: string) => `settings:${projectId}`,
  lastCheck: (projectId: string) => `check:${projectId}`,
  xraySecret: (projectId: string) => `secret:${projectId}:xray`,
  sqaiSecret: (projectId: string) => `secret:${projectId}:sqai`,
  xrayToken: (projectId: string) => `secret:${projectId}:xray-token`,
  deliverySecret: (projectId: string) => `secret:${projectId}:delivery`,
};

export interface ProjectSecrets {
  xrayClientSecret?: string;
  sqaiToken?: string;
}

/**
 * The SQAI token is stored with the origin of the endpoint it was entered for, and handed out only
 * for that origin: a save interrupted between writing the token and the settings (Forge ends a
 * resolver at 25 s) can never send a new token to the old endpoint, or an old one to a new host.
 * A plain value (written before the binding existed) is bound to whatever endpoint is configured.
 */
const boundTokenSchema = z.object({ token: z.string().min(1), origin: z.string().min(1) });

function readBoundToken(raw: string | undefined): { token: string; origin?: string } | undefined {
  if (!raw) return undefined;
  if (!raw.trimStart().startsWith('{')) return { token: raw };
  try {
    const parsed = boundTokenSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const originOf = (endpoint: string): string => new URL(endpoint).origin;

const errorDtoSchema = z.object({
  code: z.string(),
  message: z.string(),
  remedy: z.string(),
  fieldErrors: z.record(z.string(), z.string()).optional(),
  suggestedRegion: z.enum(['global', 'us', 'eu', 'au']).optional(),
  host: z.string().optional(),
});

const reportSchema = z.object({
  ok: z.boolean(),
  checkedAt: z.string(),
  checks: z.array(
    z.object({
      check: z.enum(['jira', 'xray', 'sqai', 'keyExpiry']),
      label: z.string(),
      status: z.enum(['pass', 'fail', 'warn', 'skipped']),
      detail: z.string(),
      error: errorDtoSchema.optional(),
      durationMs: z.number(),
    }),
  ),
});

export class SettingsStore {
  constructor(private readonly platform: Pick<Platform, 'kvs' | 'secrets' | 'log'>) {}

  async get(projectId: string): Promise<StoredSettings | null> {
    const raw = await this.platform.kvs.get(keys.settings(projectId));
    if (raw === undefined || raw === null) return null;
    const parsed = storedSettingsSchema.safeParse(raw);
    if (!parsed.success) {
      // A record we cannot read is reported, not trusted: the admin sees "not configured" and can save again.
      this.platform.log.error('Stored settings failed validation; ignoring them', { projectId });
      return null;
    }
    return parsed.data;
  }

  async put(projectId: string, settings: StoredSettings): Promise<void> {
    await this.platform.kvs.set(keys.settings(projectId), storedSettingsSchema.parse(settings));
  }

  /**
   * The project's secrets. With `sqaiEndpoint`, the SQAI token only when it was entered for that
   * endpoint's origin (see `boundTokenSchema`); without, whether one is stored at all.
   */
  async getSecrets(projectId: string, sqaiEndpoint?: string): Promise<ProjectSecrets> {
    const [xrayClientSecret, rawToken] = await Promise.all([
      this.platform.secrets.getSecret(keys.xraySecret(projectId)),
      this.platform.secrets.getSecret(keys.sqaiSecret(projectId)),
    ]);
    const bound = readBoundToken(rawToken);
    registerSecret(xrayClientSecret);
    registerSecret(bound?.token);
    const usable =
      bound &&
      (sqaiEndpoint === undefined || bound.origin === undefined || bound.origin === originOf(sqaiEndpoint));
    return {
      ...(xrayClientSecret ? { xrayClientSecret } : {}),
      ...(usable ? { sqaiToken: bound.token } : {}),
    };
  }

  async secretStates(projectId: string): Promise<{ xrayClientSecret: SecretState; sqaiToken: SecretState }> {
    const secrets = await this.getSecrets(projectId);
    return {
      xrayClientSecret: secrets.xrayClientSecret ? 'set' : 'unset',
      sqaiToken: secrets.sqaiToken ? 'set' : 'unset',
    };
  }

  /** Writes only the secrets given (the SQAI token bound to `sqaiEndpoint`); absent ones keep their value. */
  async putSecrets(projectId: string, secrets: ProjectSecrets, sqaiEndpoint: string): Promise<void> {
    registerSecret(secrets.xrayClientSecret);
    registerSecret(secrets.sqaiToken);
    const writes: Promise<void>[] = [];
    if (secrets.xrayClientSecret) {
      writes.push(this.platform.secrets.setSecret(keys.xraySecret(projectId), secrets.xrayClientSecret));
    }
    if (secrets.sqaiToken)
      writes.push(
        this.platform.secrets.setSecret(
          keys.sqaiSecret(projectId),
          JSON.stringify({ token: secrets.sqaiToken, origin: originOf(sqaiEndpoint) }),
        ),
      );
    await Promise.all(writes);
  }

  async getLastCheck(projectId: string): Promise<ConnectionReport | null> {
    const raw = await this.platform.kvs.get(keys.lastCheck(projectId));
    const parsed = reportSchema.safeParse(raw);
    return parsed.success ? (parsed.data as ConnectionReport) : null;
  }

  async putLastCheck(projectId: string, report: ConnectionReport): Promise<void> {
    await this.platform.kvs.set(keys.lastCheck(projectId), reportSchema.parse(report));
  }

  /** Removes every trace of the project's configuration: settings, report, secrets, cached token. */
  async deleteAll(projectId: string): Promise<void> {
    await Promise.all([
      this.platform.kvs.delete(keys.settings(projectId)),
      this.platform.kvs.delete(keys.lastCheck(projectId)),
      this.platform.secrets.deleteSecret(keys.xraySecret(projectId)),
      this.platform.secrets.deleteSecret(keys.sqaiSecret(projectId)),
      this.platform.secrets.deleteSecret(keys.xrayToken(projectId)),
      this.platform.secrets.deleteSecret(keys.deliverySecret(projectId)),
    ]);
  }
}
