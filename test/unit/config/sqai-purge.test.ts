/**
 * Tenancy and privacy (docs/sqai-contract.md): SQAI forgets a project when it is disconnected or its
 * sync is turned off, and the whole site when the app is uninstalled (Forge's
 * `avi:forge:uninstalled:app` lifecycle event, wired in manifest.yml); a token bound to another
 * site is refused (403 wrong-tenant) and reported as such.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { SqaiClient } from '../../../src/clients/sqai';
import { SettingsService } from '../../../src/config/settings-service';
import { toErrorDto } from '../../../src/errors';
import * as handlers from '../../../src/index';
import { repoRoot } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

const contextsOf = (world: World) =>
  [...world.sqai.contexts.values()].filter((c) => c.cloudId === DEMO.cloudId);

describe('SQAI forgets what it no longer may hold', () => {
  let world: World;
  beforeEach(async () => {
    world = createWorld();
    data(await world.invoke('saveSettings', demoSettings()));
    await world.platform.queue.drain(); // the first backfill pushes the project's requirements
    expect(contextsOf(world).length).toBeGreaterThan(0);
  });

  it('disconnecting the project purges it at SQAI (before its token is deleted)', async () => {
    data(await world.invoke('disconnect', {}));
    expect(world.sqai.purges).toEqual([`${DEMO.cloudId}/projects/${DEMO.project.id}`]);
    expect(contextsOf(world)).toEqual([]);
    expect(world.sqai.received.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/v1/tenants/${DEMO.cloudId}/projects/${DEMO.project.id}`,
    });
  });

  it('a disconnect completes when SQAI cannot be reached (the purge is best effort)', async () => {
    world.sqai.setMode('down');
    const view = await new SettingsService(world.platform).disconnect(DEMO.project, DEMO.admin, DEMO.cloudId);
    expect(view.settings).toBeNull();
    expect(world.sqai.purges).toEqual([]);
  });

  it('turning sync off purges the project at SQAI, and everything counts as unsent afterwards', async () => {
    const off = demoSettings();
    const { secrets: _secrets, ...withoutSecrets } = off;
    data(await world.invoke('saveSettings', { ...withoutSecrets, sync: { ...off.sync, enabled: false } }));
    expect(world.sqai.purges).toEqual([`${DEMO.cloudId}/projects/${DEMO.project.id}`]);
    expect(contextsOf(world)).toEqual([]);
    // Sent again from the panel: SQAI holds nothing, so the app writes with If-None-Match: *.
    data(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
    expect(world.sqai.received.at(-1)).toMatchObject({ method: 'PUT', ifNoneMatch: '*' });
  });

  it('on uninstall (avi:forge:uninstalled:app) every SQAI of the site purges it, once per endpoint and token', async () => {
    const manifest = z
      .object({
        modules: z.object({
          trigger: z.array(z.object({ key: z.string(), function: z.string(), events: z.array(z.string()) })),
          function: z.array(z.object({ key: z.string(), handler: z.string() })),
        }),
      })
      .parse(parse(readFileSync(path.join(repoRoot, 'manifest.yml'), 'utf8')));
    const trigger = manifest.modules.trigger.find((t) => t.events.includes('avi:forge:uninstalled:app'));
    const handler = manifest.modules.function.find((fn) => fn.key === trigger?.function)?.handler;
    expect(handler).toBe('index.appUninstalled');
    await handlers.appUninstalled(
      {
        eventType: 'avi:forge:uninstalled:app',
        context: `ari:cloud:jira::site/${DEMO.cloudId}`,
        id: 'installation-1',
        app: { id: 'app', version: '1' },
      },
      {},
    );
    expect(world.sqai.purges).toEqual([DEMO.cloudId]);
    expect(contextsOf(world)).toEqual([]);
  });

  it('a token bound to another site is refused: 403 wrong-tenant, reported as a token of another site', async () => {
    world.sqai.addToken('token-of-another-site', 'another-cloud-id');
    const client = new SqaiClient(
      { http: world.platform.http },
      { endpoint: DEMO.sqaiEndpoint, token: 'token-of-another-site' },
    );
    const error = await client.deleteContext(DEMO.cloudId, '10101').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const dto = toErrorDto(error);
    expect(dto.code).toBe('SQAI_UNAUTHORIZED');
    expect(dto.detail).toMatch(/403 Forbidden \(wrong-tenant\).*belongs to another Jira site/);
    expect(world.sqai.contexts.size).toBeGreaterThan(0);
  });
});
