/**
 * "Suggest mappings" (issue 18 item 2): the requirement's tests that prove no criterion are sent to
 * SQAI's `POST /v1/coverage:classify` (validated against the contract by the simulator), and the
 * answers are kept as `suggested` mappings — shown with their confidence, not counted — and a pair a
 * person rejected never comes back.
 */
import type { CriteriaViewDto, SuggestCriterionMappingsResult } from '../../../src/api';
import { traceRecordSchema } from '../../../src/criteria/state';
import { traceKey } from '../../../src/criteria/store';
import { withSuggestions } from '../../../src/criteria/suggest-mappings';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, DEMO, type World } from '../../harness/world';

const ISSUE = 'DEMO-1';
const T0 = '2026-12-01T10:00:00.000Z';

async function syncedWorld(): Promise<World> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  await world.platform.queue.drain();
  return world;
}

const classifyCalls = (world: World) =>
  world.sqai.log.entries.filter((entry) => entry.path === '/v1/coverage:classify');

describeWithContracts('suggestCriterionMappings', () => {
  it('stores SQAI’s suggestions (not counted), remembers a rejection, and sends only unmapped tests', async () => {
    const world = await syncedWorld();
    const suggest = async () =>
      data(await world.invokeIssue<SuggestCriterionMappingsResult>('suggestCriterionMappings', {}, ISSUE));
    const first = await suggest();
    expect(classifyCalls(world)).toHaveLength(1);
    expect(first.classified).toBeGreaterThan(0);
    expect(first.suggestions).toBeGreaterThan(0);
    expect(first.view.suggestedAt).toBeDefined();
    const withSuggestion = first.view.criteria.find((criterion) => criterion.suggested.length > 0);
    const [suggested] = withSuggestion?.suggested ?? [];
    if (!withSuggestion || !suggested) throw new Error('a suggestion is shown');
    expect(suggested.confidence).toBeGreaterThan(0);
    // Suggestions do not count: the summary is what it was.
    expect(first.view.summary.proven + first.view.summary.failing + first.view.summary.notRun).toBe(0);

    const rejected = data(
      await world.invokeIssue<CriteriaViewDto>(
        'changeCriterionMapping',
        { action: 'reject', testKey: suggested.key, criterionId: withSuggestion.id },
        ISSUE,
      ),
    );
    expect(
      rejected.criteria.find((each) => each.id === withSuggestion.id)?.suggested.map((s) => s.key),
    ).not.toContain(suggested.key);
    const again = await suggest();
    expect(
      again.view.criteria.find((each) => each.id === withSuggestion.id)?.suggested.map((s) => s.key),
    ).not.toContain(suggested.key);

    // A test that proves a criterion is not sent again.
    const [criterion] = again.view.criteria;
    const unmapped = again.view.unmappedTests.find((test) => test.key !== suggested.key);
    if (!criterion || !unmapped) throw new Error('DEMO-1 has an unmapped test');
    data(
      await world.invokeIssue(
        'changeCriterionMapping',
        { action: 'map', testKey: unmapped.key, criterionId: criterion.id },
        ISSUE,
      ),
    );
    const third = await suggest();
    expect(third.classified).toBe(again.classified - 1);
    expect(classifyCalls(world)).toHaveLength(3);
    const stored = traceRecordSchema.parse(
      await world.platform.kvs.get(traceKey(world.jiraStore.issue(ISSUE)?.id ?? '')),
    );
    expect(stored.dismissed).toContainEqual(
      expect.objectContaining({ criterionId: withSuggestion.id, kind: 'rejected' }),
    );
    expect(world.jira.violations).toEqual([]);
    expect(world.sqai.violations).toEqual([]);
  });

  it('an SQAI failure is a typed SQAI error, and nothing is stored', async () => {
    const world = await syncedWorld();
    const before = JSON.stringify(
      await world.platform.kvs.get(traceKey(world.jiraStore.issue(ISSUE)?.id ?? '')),
    );
    world.sqai.failNext({ path: /coverage:classify/, status: 401 });
    const answer = await world.invokeIssue('suggestCriterionMappings', {}, ISSUE, DEMO.admin);
    expect(answer.ok ? 'ok' : answer.error.code).toBe('SQAI_UNAUTHORIZED');
    expect(
      JSON.stringify(await world.platform.kvs.get(traceKey(world.jiraStore.issue(ISSUE)?.id ?? ''))),
    ).toBe(before);
  });
});

describe('withSuggestions (pure)', () => {
  it('replaces the classified tests’ earlier suggestions, skips counted and dismissed pairs, groups by confidence', () => {
    const trace = traceRecordSchema.parse({
      version: 1,
      updatedAt: T0,
      issueKey: 'DEMO-1',
      mappings: [
        { testIssueId: '101', testKey: 'DEMO-11', criterionIds: ['ac-00000001'], source: 'manual' },
        {
          testIssueId: '102',
          testKey: 'DEMO-12',
          criterionIds: ['ac-00000003'],
          source: 'suggested',
          confidence: 0.3,
        },
        {
          testIssueId: '103',
          testKey: 'DEMO-13',
          criterionIds: ['ac-00000003'],
          source: 'suggested',
          confidence: 0.4,
        },
      ],
      latest: [],
      plans: [],
      dismissed: [{ testIssueId: '102', criterionId: 'ac-00000002', kind: 'rejected' }],
    });
    const current = new Set(['ac-00000001', 'ac-00000002', 'ac-00000003', 'ac-00000004']);
    const { trace: next, suggestions } = withSuggestions(
      trace,
      new Map([
        ['DEMO-11', '101'],
        ['DEMO-12', '102'],
      ]),
      [
        { testKey: 'DEMO-11', suggestions: [{ criterionId: 'ac-00000001', confidence: 0.9 }] },
        {
          testKey: 'DEMO-12',
          suggestions: [
            { criterionId: 'ac-00000002', confidence: 0.9 },
            { criterionId: 'ac-00000004', confidence: 0.5 },
            { criterionId: 'ac-00000001', confidence: 0.504 },
            { criterionId: 'ac-0000ffff', confidence: 0.99 },
          ],
        },
        { testKey: 'DEMO-99', suggestions: [{ criterionId: 'ac-00000001', confidence: 1 }] },
      ],
      current,
      T0,
    );
    expect(suggestions).toBe(2);
    expect(next.suggestedAt).toBe(T0);
    expect(next.mappings).toEqual([
      trace.mappings[0],
      trace.mappings[2],
      {
        testIssueId: '102',
        testKey: 'DEMO-12',
        criterionIds: ['ac-00000004', 'ac-00000001'],
        source: 'suggested',
        confidence: 0.5,
      },
    ]);
    expect(traceRecordSchema.safeParse(next).success).toBe(true);
  });
});
