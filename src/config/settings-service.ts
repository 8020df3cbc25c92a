/**
 * Settings use cases behind the settings page: read the view, save (validate → store → check),
 * test the connection, disconnect. Callers have already authorized the user for the project.
 */
import type { ConnectionReport, SaveSettingsResult, SettingsView } from '../api';
import { clearXrayTokenCache } from '../clients/xray/client';
import { AppError } from '../errors';
import type { Platform } from '../platform/ports';
import { resolvePeople } from '../people/resolve-people';
import { queueSyncStatePurge } from '../sync/purge-sync-states';
import { startInitialBackfill } from '../sync/backfill';
import { forgetSyncRuns } from '../sync/run-store';
import { keyReminderOf, runConnectionCheck } from './connection-check';
import { purgeProjectAtSqai } from './sqai-purge';
import { defaultDataControls, type ParsedSaveInput, type StoredSettings } from './schema';
import { keys, SettingsStore, slotsOf } from './settings-store';

export interface ProjectRef {
  id: string;
  key: string;
}

export class SettingsService {
  private readonly store: SettingsStore;

  constructor(private readonly platform: Platform) {
    this.store = new SettingsStore(platform);
  }

  async view(project: ProjectRef): Promise<SettingsView> {
    const [settings, lastCheck] = await Promise.all([
      this.store.get(project.id),
      this.store.getLastCheck(project.id),
    ]);
    const secrets = await this.store.secretStates(project.id, settings);
    const view: SettingsView = {
      project,
      settings: settings
        ? {
            xray: settings.xray,
            sqai: settings.sqai,
            ...(settings.keyExpiresOn ? { keyExpiresOn: settings.keyExpiresOn } : {}),
            sync: settings.sync,
            dataControls: settings.dataControls,
          }
        : null,
      secrets,
      sqaiEgress: settings ? this.egressOf(settings.sqai.endpoint) : null,
      lastCheck,
    };
    const reminder = keyReminderOf(settings, this.platform.clock.now());
    if (reminder) view.keyReminder = reminder;
    if (settings) {
      view.updatedAt = settings.updatedAt;
      view.updatedBy = settings.updatedBy;
      view.people = await resolvePeople(this.platform, [settings.updatedBy]);
    }
    return view;
  }

  /**
   * Validates what the schema cannot (a secret is required when none is stored), then stores the
   * secrets and the settings, then runs the connection check. Nothing is written if validation fails.
   *
   * All-or-nothing: new secrets go to spare slots, the old runs are forgotten, and only then is the
   * settings record written — the one write that switches the project over. Forge may end the
   * resolver at any write (25 s); before the record, the project works as it did; after it, as saved.
   */
  async save(
    project: ProjectRef,
    accountId: string,
    input: ParsedSaveInput,
    cloudId: string | undefined,
  ): Promise<SaveSettingsResult> {
    const previous = await this.store.get(project.id);
    const states = await this.store.secretStates(project.id, previous);
    const fieldErrors: Record<string, string> = {};
    // A stored token goes only to the endpoint it was entered for: pointing the project at another
    // host must not hand that host the token (whoever changes the endpoint enters it again).
    if (
      previous &&
      !input.secrets?.sqaiToken &&
      new URL(previous.sqai.endpoint).origin !== new URL(input.sqai.endpoint).origin
    ) {
      fieldErrors['secrets.sqaiToken'] =
        'Enter the SQAI API token again for the new endpoint: a saved token is only sent to the endpoint it was entered for.';
    }
    if (!input.secrets?.xrayClientSecret && states.xrayClientSecret === 'unset') {
      fieldErrors['secrets.xrayClientSecret'] = 'Enter the Xray Client Secret.';
    }
    if (!input.secrets?.sqaiToken && states.sqaiToken === 'unset') {
      fieldErrors['secrets.sqaiToken'] = 'Enter the SQAI API token.';
    }
    if (Object.keys(fieldErrors).length > 0) throw new AppError('VALIDATION', { fieldErrors });

    const now = this.platform.clock.now().toISOString();
    // Sync turned off: SQAI forgets the project (docs/sqai-contract.md "Tenancy and privacy"), so
    // what it held counts as unsent when sync is turned on again.
    const syncTurnedOff = Boolean(previous?.sync.enabled && !input.sync.enabled);
    if (previous && syncTurnedOff && cloudId) {
      await purgeProjectAtSqai(this.platform, cloudId, project.id, previous);
    }
    // A different SQAI holds none of what the old one did: from now on everything counts as unsent.
    const endpointChanged = !previous || previous.sqai.endpoint !== input.sqai.endpoint;
    const sqaiSince = endpointChanged || syncTurnedOff ? now : previous.sqaiSince;
    const previousSlots = slotsOf(previous);
    const secretSlots = await this.store.putSpareSecrets(
      project.id,
      previousSlots,
      {
        ...(input.secrets?.xrayClientSecret ? { xrayClientSecret: input.secrets.xrayClientSecret } : {}),
        ...(input.secrets?.sqaiToken ? { sqaiToken: input.secrets.sqaiToken } : {}),
      },
      input.sqai.endpoint,
    );
    const settings: StoredSettings = {
      version: 1,
      projectKey: project.key,
      xray: input.xray,
      sqai: input.sqai,
      ...(sqaiSince ? { sqaiSince } : {}),
      ...(input.keyExpiresOn ? { keyExpiresOn: input.keyExpiresOn } : {}),
      sync: input.sync,
      // What leaves Jira: as sent, or (a payload without it) as stored, or the defaults.
      dataControls: input.dataControls ?? previous?.dataControls ?? defaultDataControls(),
      secretSlots,
      updatedAt: now,
      updatedBy: accountId,
    };
    const credentialsChanged =
      !previous ||
      previous.xray.clientId !== settings.xray.clientId ||
      previous.xray.region !== settings.xray.region ||
      Boolean(input.secrets?.xrayClientSecret);
    // Its runs start over (a handful of keys); the per-issue states stay and stop counting
    // (`sqaiSince`), so a save takes the same time on 10 or 10,000 requirements. Before the record:
    // a record naming the new endpoint beside the old runs would skip the new SQAI's first backfill.
    if (previous && endpointChanged) await forgetSyncRuns(this.platform.kvs, project.id);
    await this.store.put(project.id, settings);
    // After the switch, tidying only: the Xray token cache is bound to the credentials it was made
    // with, and a secret left in a replaced slot is overwritten by the next save.
    await Promise.all([
      credentialsChanged ? this.platform.secrets.deleteSecret(keys.xrayToken(project.id)) : undefined,
      this.store.dropReplacedSecrets(project.id, previousSlots, secretSlots),
    ]);
    const dataControlsChanged =
      JSON.stringify(previous?.dataControls ?? defaultDataControls()) !==
      JSON.stringify(settings.dataControls);
    this.platform.log.info('Settings saved', {
      projectId: project.id,
      by: accountId,
      credentialsChanged,
      dataControlsChanged,
    });

    const report = await this.check(project, settings, cloudId);
    return { view: await this.view(project), report };
  }

  async testConnection(project: ProjectRef, cloudId: string | undefined): Promise<ConnectionReport> {
    const settings = await this.store.get(project.id);
    if (!settings) throw new AppError('NOT_CONFIGURED');
    return this.check(project, settings, cloudId);
  }

  /**
   * Disconnects the project: SQAI is asked to forget it first (while its token is still here; best
   * effort, never blocking the disconnect), then its settings (from then on nothing syncs), its
   * secrets, report and runs — a few keys — and the per-issue sync states on the queue (one per
   * requirement: too many for the resolver's 25 s on a large project).
   */
  async disconnect(project: ProjectRef, accountId: string, cloudId?: string): Promise<SettingsView> {
    const before = this.platform.clock.now().toISOString();
    const settings = await this.store.get(project.id);
    if (settings && cloudId) await purgeProjectAtSqai(this.platform, cloudId, project.id, settings);
    await this.store.deleteAll(project.id);
    await forgetSyncRuns(this.platform.kvs, project.id);
    await queueSyncStatePurge(this.platform, { kind: 'purge', projectId: project.id, before });
    clearXrayTokenCache();
    this.platform.log.info('Project disconnected', { projectId: project.id, by: accountId });
    return this.view(project);
  }

  /**
   * Runs the connection check and keeps its report. The first check that passes starts the
   * project's first backfill, once: the save's, or a later one when the save could not connect (a
   * host not approved yet, a wrong secret).
   */
  private async check(
    project: ProjectRef,
    settings: StoredSettings,
    cloudId: string | undefined,
  ): Promise<ConnectionReport> {
    const secrets = await this.store.getSecrets(project.id, settings);
    const report = await runConnectionCheck(this.platform, {
      project,
      settings,
      secrets,
      xrayTokenKey: keys.xrayToken(project.id),
    });
    await this.store.putLastCheck(project.id, report);
    if (report.ok && cloudId) await startInitialBackfill(this.platform, cloudId, project);
    return report;
  }

  private egressOf(endpoint: string): { host: string; declared: boolean } {
    const url = new URL(endpoint);
    return { host: url.host, declared: this.platform.egress.isDeclared(`${url.origin}/v1/health`) };
  }
}
