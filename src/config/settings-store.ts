/**
 * Per-project settings in KVS and secrets in Forge secret storage (DESIGN.md §4):
 *   settings:<projectId>        the stored settings record (no secrets)
 *   check:<projectId>           the last connection report
 *   secret:<projectId>:xray     the Xray Client Secret (slot a; slot b: secret:<projectId>:xray:b)
 *   secret:<projectId>:sqai     the SQAI API token with the origin it was entered for (slot b: …:sqai:b)
 *   secret:<projectId>:xray-token  the cached Xray bearer token (see clients/xray/client.ts)
 *   secret:<projectId>:delivery    the secret SQAI signs web trigger deliveries with
 */
import { z } from 'zod';
import type { ConnectionReport, SecretState } from '../api';
import type { Platform } from '../platform/ports';
import { registerSecret } from '../platform/redact';
import { storedSettingsSchema, type SecretSlot, type SecretSlots, type StoredSettings } from './schema';

const slotSuffix = (slot: SecretSlot): string => (slot === 'a' ? '' : `:${slot}`);

export const keys = {
  settings: (projectId: string) => `settings:${projectId}`,
  lastCheck: (projectId: string) => `check:${projectId}`,
  xraySecret: (projectId: string, slot: SecretSlot = 'a') => `secret:${projectId}:xray${slotSuffix(slot)}`,
  sqaiSecret: (projectId: string, slot: SecretSlot = 'a') => `secret:${projectId}:sqai${slotSuffix(slot)}`,
  xrayToken: (projectId: string) => `secret:${projectId}:xray-token`,
  deliverySecret: (projectId: string) => `secret:${projectId}:delivery`,
};

export interface ProjectSecrets {
  xrayClientSecret?: string;
  sqaiToken?: string;
}

const SLOTS: readonly SecretSlot[] = ['a', 'b'];
const spare = (slot: SecretSlot): SecretSlot => (slot === 'a' ? 'b' : 'a');

/** The slots a stored record's secrets live in (records from before slots: `a`). */
export const slotsOf = (settings: StoredSettings | null): SecretSlots =>
  settings?.secretSlots ?? { xray: 'a', sqai: 'a' };

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

  /**
   * Every project with readable stored settings, a page of records at a time. A record that fails
   * validation is left out silently here (`get` reports it when its project is used).
   */
  async configuredProjects(): Promise<{ projectId: string; settings: StoredSettings }[]> {
    const prefix = keys.settings('');
    const out: { projectId: string; settings: StoredSettings }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.platform.kvs.query(prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const entry of page.entries) {
        const parsed = storedSettingsSchema.safeParse(entry.value);
        if (parsed.success) out.push({ projectId: entry.key.slice(prefix.length), settings: parsed.data });
      }
      cursor = page.cursor;
    } while (cursor);
    return out;
  }

  async put(projectId: string, settings: StoredSettings): Promise<void> {
    await this.platform.kvs.set(keys.settings(projectId), storedSettingsSchema.parse(settings));
  }

  /**
   * The secrets the stored `settings` name (their slots), the SQAI token only when it was entered
   * for the settings' endpoint origin (see `boundTokenSchema`). No settings: none.
   */
  async getSecrets(projectId: string, settings: StoredSettings | null): Promise<ProjectSecrets> {
    if (!settings) return {};
    const slots = slotsOf(settings);
    const [xrayClientSecret, rawToken] = await Promise.all([
      this.platform.secrets.getSecret(keys.xraySecret(projectId, slots.xray)),
      this.platform.secrets.getSecret(keys.sqaiSecret(projectId, slots.sqai)),
    ]);
    const bound = readBoundToken(rawToken);
    registerSecret(xrayClientSecret);
    registerSecret(bound?.token);
    const usable = bound && (bound.origin === undefined || bound.origin === originOf(settings.sqai.endpoint));
    return {
      ...(xrayClientSecret ? { xrayClientSecret } : {}),
      ...(usable ? { sqaiToken: bound.token } : {}),
    };
  }

  async secretStates(
    projectId: string,
    settings: StoredSettings | null,
  ): Promise<{ xrayClientSecret: SecretState; sqaiToken: SecretState }> {
    const secrets = await this.getSecrets(projectId, settings);
    return {
      xrayClientSecret: secrets.xrayClientSecret ? 'set' : 'unset',
      sqaiToken: secrets.sqaiToken ? 'set' : 'unset',
    };
  }

  /**
   * Writes the secrets given to the slots `current` does not use (the SQAI token bound to
   * `sqaiEndpoint`) and answers the slots the next settings record must name; absent secrets keep
   * their slot. Nothing the current record names is touched, so a save cut off here changes nothing.
   */
  async putSpareSecrets(
    projectId: string,
    current: SecretSlots,
    secrets: ProjectSecrets,
    sqaiEndpoint: string,
  ): Promise<SecretSlots> {
    registerSecret(secrets.xrayClientSecret);
    registerSecret(secrets.sqaiToken);
    const next: SecretSlots = {
      xray: secrets.xrayClientSecret ? spare(current.xray) : current.xray,
      sqai: secrets.sqaiToken ? spare(current.sqai) : current.sqai,
    };
    const writes: Promise<void>[] = [];
    if (secrets.xrayClientSecret) {
      writes.push(
        this.platform.secrets.setSecret(keys.xraySecret(projectId, next.xray), secrets.xrayClientSecret),
      );
    }
    if (secrets.sqaiToken)
      writes.push(
        this.platform.secrets.setSecret(
          keys.sqaiSecret(projectId, next.sqai),
          JSON.stringify({ token: secrets.sqaiToken, origin: originOf(sqaiEndpoint) }),
        ),
      );
    await Promise.all(writes);
    return next;
  }

  /** After a save committed `next`: removes the secrets left in the slots it no longer names. */
  async dropReplacedSecrets(projectId: string, previous: SecretSlots, next: SecretSlots): Promise<void> {
    await Promise.all([
      ...(previous.xray !== next.xray
        ? [this.platform.secrets.deleteSecret(keys.xraySecret(projectId, previous.xray))]
        : []),
      ...(previous.sqai !== next.sqai
        ? [this.platform.secrets.deleteSecret(keys.sqaiSecret(projectId, previous.sqai))]
        : []),
    ]);
  }

  async getLastCheck(projectId: string): Promise<ConnectionReport | null> {
    const raw = await this.platform.kvs.get(keys.lastCheck(projectId));
    const parsed = reportSchema.safeParse(raw);
    return parsed.success ? (parsed.data as ConnectionReport) : null;
  }

  async putLastCheck(projectId: string, report: ConnectionReport): Promise<void> {
    await this.platform.kvs.set(keys.lastCheck(projectId), reportSchema.parse(report));
  }

  /**
   * Removes every trace of the project's configuration: settings, report, secrets (both slots),
   * cached token. The settings go first: cut off half-way, the project is already disconnected
   * and disconnecting again removes the rest.
   */
  async deleteAll(projectId: string): Promise<void> {
    await this.platform.kvs.delete(keys.settings(projectId));
    await Promise.all([
      this.platform.kvs.delete(keys.lastCheck(projectId)),
      ...SLOTS.flatMap((slot) => [
        this.platform.secrets.deleteSecret(keys.xraySecret(projectId, slot)),
        this.platform.secrets.deleteSecret(keys.sqaiSecret(projectId, slot)),
      ]),
      this.platform.secrets.deleteSecret(keys.xrayToken(projectId)),
      this.platform.secrets.deleteSecret(keys.deliverySecret(projectId)),
    ]);
  }
}
