/** Settings page resolvers: thin — context → project-admin check → payload → SettingsService. */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { requireProjectAdmin } from '../config/project-admin-guard';
import { saveSettingsInputSchema } from '../config/schema';
import { SettingsService } from '../config/settings-service';
import { SettingsStore } from '../config/settings-store';
import { AppError } from '../errors';
import { SyncService } from '../sync/sync-service';
import { deliverySettings, rotateDeliverySecret } from '../webtrigger/delivery-settings';
import { projectContextOf } from './context';
import { defineResolver, parsePayload } from './define';

const emptyPayload = z.object({}).strict();

export const settingsResolvers = {
  [RESOLVERS.getSettings]: defineResolver(RESOLVERS.getSettings, async ({ context, payload }, platform) => {
    const ctx = projectContextOf(context);
    await requireProjectAdmin(platform, ctx.project.id);
    parsePayload(emptyPayload, payload);
    return new SettingsService(platform).view(ctx.project);
  }),

  [RESOLVERS.saveSettings]: defineResolver(RESOLVERS.saveSettings, async ({ context, payload }, platform) => {
    const ctx = projectContextOf(context);
    await requireProjectAdmin(platform, ctx.project.id);
    const input = parsePayload(saveSettingsInputSchema, payload);
    return new SettingsService(platform).save(ctx.project, ctx.accountId, input, ctx.cloudId);
  }),

  [RESOLVERS.testConnection]: defineResolver(
    RESOLVERS.testConnection,
    async ({ context, payload }, platform) => {
      const ctx = projectContextOf(context);
      await requireProjectAdmin(platform, ctx.project.id);
      parsePayload(emptyPayload, payload);
      return new SettingsService(platform).testConnection(ctx.project, ctx.cloudId);
    },
  ),

  [RESOLVERS.disconnect]: defineResolver(RESOLVERS.disconnect, async ({ context, payload }, platform) => {
    const ctx = projectContextOf(context);
    await requireProjectAdmin(platform, ctx.project.id);
    parsePayload(emptyPayload, payload);
    return new SettingsService(platform).disconnect(ctx.project, ctx.accountId);
  }),
};

/** The delivery web trigger (settings page, project admins). */
export const deliveryResolvers = {
  [RESOLVERS.getDeliverySettings]: defineResolver(
    RESOLVERS.getDeliverySettings,
    async ({ context, payload }, platform) => {
      const ctx = projectContextOf(context);
      await requireProjectAdmin(platform, ctx.project.id);
      parsePayload(emptyPayload, payload);
      return deliverySettings(platform, ctx.project.id);
    },
  ),

  [RESOLVERS.rotateDeliverySecret]: defineResolver(
    RESOLVERS.rotateDeliverySecret,
    async ({ context, payload }, platform) => {
      const ctx = projectContextOf(context);
      await requireProjectAdmin(platform, ctx.project.id);
      parsePayload(emptyPayload, payload);
      return rotateDeliverySecret(platform, ctx.project.id);
    },
  ),
};

/** Sync status and backfills (settings page, project admins). */
export const syncResolvers = {
  [RESOLVERS.getSyncStatus]: defineResolver(
    RESOLVERS.getSyncStatus,
    async ({ context, payload }, platform) => {
      const ctx = projectContextOf(context);
      await requireProjectAdmin(platform, ctx.project.id);
      parsePayload(emptyPayload, payload);
      return new SyncService(platform).status(
        ctx.project.id,
        await new SettingsStore(platform).get(ctx.project.id),
      );
    },
  ),

  [RESOLVERS.startBackfill]: defineResolver(
    RESOLVERS.startBackfill,
    async ({ context, payload }, platform) => {
      const ctx = projectContextOf(context);
      await requireProjectAdmin(platform, ctx.project.id);
      parsePayload(emptyPayload, payload);
      if (!ctx.cloudId) throw new AppError('FORBIDDEN', { message: 'Forbidden — the call carries no site.' });
      return new SyncService(platform).startBackfill(ctx.cloudId, ctx.project);
    },
  ),
};
