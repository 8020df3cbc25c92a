/**
 * "What leaves Jira" through the REAL resolver handler: the controls saved with the settings (a save
 * without them keeps them; settings saved before them read as the defaults; a refused pattern writes
 * nothing), and `checkRedactionPattern` ("Try it") for project admins only.
 */
import type {
  DataControlsDto,
  RedactionPatternCheckDto,
  SaveSettingsResult,
  SettingsView,
} from '../../../src/api';
import { defaultDataControls, storedSettingsSchema } from '../../../src/config/schema';
import { keys } from '../../../src/config/settings-store';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

const chosen = (): DataControlsDto => ({
  ...defaultDataControls(),
  sources: { ...defaultDataControls().sources, linkedIssues: false, peopleNames: false },
  fields: ['status', 'priority'],
  redaction: {
    detectors: { ...defaultDataControls().redaction.detectors, phone: false },
    customPatterns: [{ name: 'customer-id', pattern: 'CUST-[0-9]{6}' }],
  },
  auditRetentionDays: 30,
});

const snapshot = (world: World) =>
  JSON.stringify([[...world.platform.kvs.data.entries()], [...world.platform.secrets.data.entries()]]);

describeWithContracts('data controls in the settings', () => {
  let world: World;

  beforeEach(() => {
    world = createWorld();
  });

  it('shows the defaults for a project saved without them, and stores them with the first save', async () => {
    const saved = data(await world.invoke<SaveSettingsResult>('saveSettings', demoSettings()));
    expect(saved.view.settings?.dataControls).toEqual(defaultDataControls());
    const record = storedSettingsSchema.parse(world.platform.kvs.data.get(keys.settings(DEMO.project.id)));
    expect(record.dataControls).toEqual(defaultDataControls());
  });

  it('reads settings stored before the controls existed as the defaults', async () => {
    data(await world.invoke('saveSettings', demoSettings()));
    const key = keys.settings(DEMO.project.id);
    const { dataControls: _controls, ...older } = world.platform.kvs.data.get(key) as Record<string, unknown>;
    world.platform.kvs.data.set(key, older);
    const view = data(await world.invoke<SettingsView>('getSettings', {}));
    expect(view.settings?.dataControls).toEqual(defaultDataControls());
  });

  it('saves a change of the controls like the other settings, and a save without them keeps them', async () => {
    data(await world.invoke('saveSettings', demoSettings()));
    const saved = data(
      await world.invoke<SaveSettingsResult>('saveSettings', {
        ...demoSettings(),
        secrets: {},
        dataControls: chosen(),
      }),
    );
    expect(saved.view.settings?.dataControls).toEqual(chosen());
    expect(data(await world.invoke<SettingsView>('getSettings', {})).settings?.dataControls).toEqual(
      chosen(),
    );

    const again = data(
      await world.invoke<SaveSettingsResult>('saveSettings', { ...demoSettings(), secrets: {} }),
    );
    expect(again.view.settings?.dataControls).toEqual(chosen());
  });

  it('refuses a pattern that could hang, on its field, and writes nothing', async () => {
    data(await world.invoke('saveSettings', demoSettings()));
    const before = snapshot(world);
    const controls = chosen();
    controls.redaction.customPatterns.push({ name: 'slow', pattern: '(a+)+$' });
    const error = failure(
      await world.invoke('saveSettings', { ...demoSettings(), secrets: {}, dataControls: controls }),
    );
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['dataControls.redaction.customPatterns.1.pattern']);
    expect(error.fieldErrors?.['dataControls.redaction.customPatterns.1.pattern']).toMatch(/backtrack/i);
    expect(snapshot(world)).toBe(before);
  });
});

describeWithContracts('checkRedactionPattern', () => {
  let world: World;

  beforeEach(() => {
    world = createWorld();
  });

  it('shows a project admin what an accepted pattern redacts in the sample', async () => {
    const check = data(
      await world.invoke<RedactionPatternCheckDto>('checkRedactionPattern', {
        pattern: 'CUST-[0-9]{6}',
        sample: 'Call CUST-123456 back; CUST-654321 too, and CUST-123456 again.',
      }),
    );
    expect(check).toEqual({
      ok: true,
      redactedSample: 'Call [custom-1] back; [custom-2] too, and [custom-1] again.',
      matches: 3,
    });
  });

  it('names the sample’s placeholders after the pattern when its name is given; a bad name is a field error', async () => {
    const named = data(
      await world.invoke<RedactionPatternCheckDto>('checkRedactionPattern', {
        pattern: 'CUST-[0-9]{6}',
        sample: 'Call CUST-123456 back.',
        name: 'customer-id',
      }),
    );
    expect(named.redactedSample).toBe('Call [customer-id-1] back.');
    const refused = await world.invoke('checkRedactionPattern', { pattern: 'x', name: 'Not A Name' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fieldErrors: { name: expect.any(String) as unknown } },
    });
  });

  it('accepts a pattern without a sample', async () => {
    expect(data(await world.invoke('checkRedactionPattern', { pattern: 'ORD\\d{8}' }))).toEqual({ ok: true });
  });

  it.each(['(a+)+$', '(x|x)*y', '[', 'a*'])(
    'refuses %p with its reason, before running it',
    async (pattern) => {
      const started = Date.now();
      const check = data(
        await world.invoke<RedactionPatternCheckDto>('checkRedactionPattern', {
          pattern,
          sample: `${'a'.repeat(1_999)}!`,
        }),
      );
      expect(check.ok).toBe(false);
      expect(check.problem).toMatch(/\w+/);
      expect(check.redactedSample).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );

  it('refuses a plain user of the project (FORBIDDEN)', async () => {
    const error = failure(await world.invoke('checkRedactionPattern', { pattern: 'X' }, DEMO.user));
    expect(error.code).toBe('FORBIDDEN');
  });

  it('refuses a pattern over 500 characters and a sample over 2,000 (VALIDATION, on the field)', async () => {
    expect(
      failure(await world.invoke('checkRedactionPattern', { pattern: 'x'.repeat(501) })).fieldErrors,
    ).toEqual({
      pattern: 'A pattern is at most 500 characters.',
    });
    expect(
      failure(await world.invoke('checkRedactionPattern', { pattern: 'x', sample: 'a'.repeat(2_001) }))
        .fieldErrors,
    ).toEqual({ sample: 'A sample is at most 2,000 characters.' });
  });

  it('stores nothing', async () => {
    const before = snapshot(world);
    data(await world.invoke('checkRedactionPattern', { pattern: 'X\\d{2}', sample: 'X12' }));
    expect(snapshot(world)).toBe(before);
  });
});
