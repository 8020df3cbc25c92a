/**
 * Created generated tests carry the wording they were generated against (issue 19): the
 * `sqai.provenance` property names each proven criterion's wording hash, and the requirement's
 * living record holds the same baseline (`by: generated`), so a later rewording flags exactly them.
 */
import type { CreationDto } from '../../../src/api';
import { criteriaRecordSchema } from '../../../src/criteria/schema';
import { criteriaKey } from '../../../src/criteria/store';
import { PROVENANCE_PROPERTY } from '../../../src/generate/create-tests';
import { wordingHashesOf } from '../../../src/generate/record-criteria';
import { criterionWordingHash, readLiving } from '../../../src/living/baselines';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { generateOn } from '../../harness/scenarios/generate';
import { warpClock } from '../../harness/warp-clock';
import { createWorld } from '../../harness/world';

const ISSUE = 'DEMO-3';

describeWithContracts('generated tests → baselines', () => {
  it('the provenance and the living record hold the wording of each criterion the test proves', async () => {
    const clock = warpClock(Infinity);
    const world = createWorld({ now: clock.now, sleep: clock.sleep });
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    const generation = await generateOn(world, ISSUE, { testTypes: ['Manual'], maxTests: 10 });
    expect(generation.status).toBe('succeeded');
    const creation = data(
      await world.invokeIssue<CreationDto>(
        'createGeneratedTests',
        { selections: generation.proposals.map((proposal) => ({ id: proposal.id })), destination: {} },
        ISSUE,
      ),
    );
    expect(creation.status).toBe('done');
    const requirement = world.jiraStore.issue(ISSUE);
    if (!requirement) throw new Error(`no ${ISSUE}`);
    const criteria = criteriaRecordSchema.parse(await world.platform.kvs.get(criteriaKey(requirement.id)));
    const living = await readLiving(world.platform, requirement.id);
    let checked = 0;
    for (const item of creation.items) {
      const test = world.jiraStore.issue(item.key ?? '');
      const provenance = test?.properties.get(PROVENANCE_PROPERTY) as
        { criterionIds?: string[]; criteria?: Record<string, string> } | undefined;
      if (!test || !provenance?.criterionIds?.length) continue;
      const expected = Object.fromEntries(
        provenance.criterionIds.map((id) => [
          id,
          criterionWordingHash(criteria.criteria.find((criterion) => criterion.id === id)?.text ?? ''),
        ]),
      );
      expect(provenance.criteria).toEqual(expected);
      expect(living?.tests.find((held) => held.testIssueId === test.id)).toMatchObject({
        testKey: test.key,
        by: 'generated',
        criteria: expected,
      });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('wordingHashesOf names only criteria the requirement has', () => {
    const criteria = criteriaRecordSchema.parse({
      version: 1,
      updatedAt: '2026-12-01T10:00:00.000Z',
      criteria: [
        {
          id: 'ac-00000001',
          text: 'The total includes VAT',
          source: 'list',
          revision: 1,
          since: '2026-12-01T10:00:00.000Z',
        },
      ],
      removed: [],
    });
    expect(wordingHashesOf(criteria, ['ac-00000001', 'ac-0badc0de'])).toEqual({
      'ac-00000001': criterionWordingHash('the total includes vat'),
    });
    expect(wordingHashesOf(undefined, ['ac-00000001'])).toEqual({});
  });
});
