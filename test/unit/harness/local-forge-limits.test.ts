/**
 * The harness calls resolvers as Forge does (docs/forge-fidelity.md, rule 16): the payload travels
 * as JSON and at most 500 KB of it, so the app never sees what a real call could not carry; an
 * answer over 5 MB or later than 25 s fails the test that caused it.
 */
import type { SaveSettingsInput } from '../../../src/api';
import { asDelivered, FORGE_RESOLVER_LIMITS, ForgeLimitError } from '../../harness/local-forge';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld } from '../../harness/world';

describe('resolver calls under Forge limits', () => {
  it('refuses a payload over 500 KB before the resolver runs', async () => {
    const world = createWorld();
    const oversized: SaveSettingsInput = {
      ...demoSettings(),
      sync: {
        ...demoSettings().sync,
        requirementIssueTypes: ['x'.repeat(FORGE_RESOLVER_LIMITS.requestBytes)],
      },
    };
    const call = world.invoke('saveSettings', oversized);
    await expect(call).rejects.toBeInstanceOf(ForgeLimitError);
    await expect(call).rejects.toMatchObject({ limit: 'request' });
    expect(world.platform.kvs.data.size).toBe(0);
    expect(world.platform.secrets.data.size).toBe(0);
  });

  it('refuses what JSON cannot carry, and delivers the rest as JSON does', async () => {
    const world = createWorld();
    await expect(world.invoke('getSettings', { size: 10n })).rejects.toMatchObject({ limit: 'request' });
    expect(asDelivered({ dropped: undefined, at: new Date('2026-12-03T00:00:00Z'), n: Number.NaN })).toEqual({
      at: '2026-12-03T00:00:00.000Z',
      n: null,
    });
    // A field that is undefined never arrives, so an "empty" payload with one is still empty.
    data(await world.invoke('getSettings', { ignored: undefined }));
  });
});
