/** Settings page resolvers: thin — access (project admins) → payload → SettingsService / sync use cases. */
import { RESOLVERS } from '../api';
import { saveSettingsInputSchema } from '../config/schema';
import { SettingsService } from '../config/settings-service';
import { SettingsStore } from '../config/settings-store';
import { startBackfill } from '../sync/backfill';
import { getSyncStatus } from '../sync/sync-status';
import { deliverySettings, rotateDeliverySecret } from '../webtrigger/delivery-settings';
import { defineResolver, emptyPayload, projectAdmin, projectAdminOnSite } from './define';

export const settingsResolvers = {
  [RESOLVERS.getSettings]: defineResolver(
    RESOLVERS.getSettings,
    { access: projectAdmin, payload: emptyPayload },
    (ctx, _input, platform) => new SettingsService(platform).view(ctx.project),
  ),

  [RESOLVERS.saveSettings]: defineResolver(
    RESOLVERS.saveSettings,
    { access: projectAdmin, payload: saveSettingsInputSchema },
    (ctx, input, platform) =>
      new SettingsService(platform).save(ctx.project, ctx.accountId, input, ctx.cloudId),
  ),

  [RESOLVERS.testConnection]: defineResolver(
    RESOLVERS.testConnection,
    { access: projectAdmin, payload: emptyPayload },
    (ctx, _input, platform) => new SettingsService(platform).testConnection(ctx.project, ctx.cloudId),
  ),

  [RESOLVERS.disconnect]: defineResolver(
    RESOLVERS.disconnect,
    { access: projectAdmin, payload: emptyPayload },
    // The site too: SQAI is asked to forget the project (docs/sqai-contract.md "Tenancy and privacy").
    (ctx, _input, platform) =>
      new SettingsService(platform).disconnect(ctx.project, ctx.accountId, ctx.cloudId),
  ),
};

/** The delivery web trigger (settings page, project admins). */
export const deliveryResolvers = {
  [RESOLVERS.getDeliverySettings]: defineResolver(
    RESOLVERS.getDeliverySettings,
    { access: projectAdmin, payload: emptyPayload },
    (ctx, _input, platform) => deliverySettings(platform, ctx.project.id),
  ),

  [RESOLVERS.rotateDeliverySecret]: defineResolver(
    RESOLVERS.rotateDeliverySecret,
    { access: projectAdmin, payload: emptyPayload },
    (ctx, _input, platform) => rotateDeliverySecret(platform, ctx.project.id),
  ),
};

/** Sync status and backfills (settings page, project admins). */
export const syncResolvers = {
  [RESOLVERS.getSyncStatus]: defineResolver(
    RESOLVERS.getSyncStatus,
    { access: projectAdmin, payload: emptyPayload },
    async (ctx, _input, platform) =>
      getSyncStatus(platform, ctx.project.id, await new SettingsStore(platform).get(ctx.project.id)),
  ),

  [RESOLVERS.startBackfill]: defineResolver(
    RESOLVERS.startBackfill,
    { access: projectAdminOnSite, payload: emptyPayload },
    (ctx, _input, platform) => startBackfill(platform, ctx.cloudId, ctx.project),
  ),
};
