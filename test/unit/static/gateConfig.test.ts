/**
 * The workflow gate's options page writes exactly what the validator reads: every combination the
 * page can save parses with src/validators/criteria-gate.ts `parseGateConfiguration` to the same
 * options, and what the page reads back from Jira is what it saved.
 */
import {
  DEFAULT_GATE_CONFIG,
  gateConfigJson,
  gateSummaryText,
  readGateConfig,
  typedPlanKey,
  type GateConfig,
} from '../../../static/criteria-gate/src/gateConfig';
import { parseGateConfiguration } from '../../../src/validators/criteria-gate';

const ALL: GateConfig[] = (['covered', 'proven'] as const).flatMap((require) =>
  (['refuse', 'allow'] as const).flatMap((whenUnknown) => [
    { require, whenUnknown },
    ...(require === 'proven' ? [{ require, whenUnknown, testPlanKey: 'DEMO-30' }] : []),
  ]),
);

describe('the gate options page', () => {
  it.each(ALL)('saves %j as JSON the validator reads to the same options', (config) => {
    const saved = gateConfigJson(config);
    expect(parseGateConfiguration(saved)).toEqual(config);
    expect(readGateConfig(saved)).toEqual({ config, readable: true });
  });

  it('shows the validator’s defaults for a new rule (no saved options)', () => {
    expect(readGateConfig(undefined)).toEqual({ config: DEFAULT_GATE_CONFIG, readable: true });
    expect(parseGateConfiguration(undefined)).toMatchObject(DEFAULT_GATE_CONFIG);
  });

  it('fills what older options leave out with the defaults, as the validator does', () => {
    expect(readGateConfig('{"require":"covered"}')).toEqual({
      config: { require: 'covered', whenUnknown: 'refuse' },
      readable: true,
    });
    expect(parseGateConfiguration('{"require":"covered"}')).toMatchObject({ whenUnknown: 'refuse' });
  });

  it.each([
    ['not JSON', '{require: covered'],
    ['an unknown value', '{"require":"tested"}'],
    ['an unknown key', '{"require":"covered","plan":"X"}'],
    ['a Test Plan that is not an issue key', '{"require":"proven","testPlanKey":"release 2"}'],
    ['a Test Plan key in lower case', '{"require":"proven","testPlanKey":"demo-30"}'],
    ['not an object', '["covered"]'],
  ])(
    'says so when the saved options are %s (the validator refuses those as misconfigured)',
    (_what, saved) => {
      expect(readGateConfig(saved).readable).toBe(false);
      expect(parseGateConfiguration(saved)).toBeUndefined();
    },
  );

  it('reads the Test Plan field: empty is no plan, a key is trimmed and upper-cased, anything else is an error', () => {
    expect(typedPlanKey('')).toEqual({ key: undefined });
    expect(typedPlanKey('   ')).toEqual({ key: undefined });
    expect(typedPlanKey(' demo-30 ')).toEqual({ key: 'DEMO-30' });
    expect(typedPlanKey('QA_2-7')).toEqual({ key: 'QA_2-7' });
    for (const typed of ['DEMO', 'DEMO-0', '30', 'DEMO 30', '-30', `A${'B'.repeat(46)}-123`]) {
      expect([typed, 'error' in typedPlanKey(typed)]).toEqual([typed, true]);
    }
  });

  it('saves the Test Plan only where it counts (proven), and the validator reads it back', () => {
    const saved = gateConfigJson({ require: 'covered', whenUnknown: 'refuse', testPlanKey: 'DEMO-30' });
    expect(JSON.parse(saved)).toEqual({ require: 'covered', whenUnknown: 'refuse' });
    const plan: GateConfig = { require: 'proven', whenUnknown: 'refuse', testPlanKey: 'DEMO-30' };
    expect(parseGateConfiguration(gateConfigJson(plan))).toEqual({
      require: 'proven',
      whenUnknown: 'refuse',
      testPlanKey: 'DEMO-30',
    });
  });

  it('summarises each choice in words', () => {
    expect(gateSummaryText({ require: 'proven', whenUnknown: 'refuse', testPlanKey: 'DEMO-30' })).toMatch(
      /passed in its latest run in Test Plan DEMO-30, after/,
    );
    expect(gateSummaryText({ require: 'covered', whenUnknown: 'allow' })).toMatch(
      /at least one test\. An issue the app has not checked yet is allowed\.$/,
    );
    expect(gateSummaryText({ require: 'proven', whenUnknown: 'refuse' })).toMatch(
      /passed in its latest run.*is refused\.$/,
    );
  });
});
