/**
 * The `sqaiCriteria` issue property is written only when it says something: never for a requirement
 * that has never had criteria (a 10,000-requirement backfill would otherwise spend 10,000 Jira writes
 * on all-zero counts), and back to zero when a requirement's criteria are all removed (so a JQL search
 * for unproven criteria stops finding it).
 */
import { CRITERIA_PROPERTY_KEY } from '../../../src/criteria/issue-property';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld, type World } from '../../harness/world';

const propertyWrites = (world: World, issueId: string) =>
  world.jira.requests.filter(
    (request) =>
      request.method === 'PUT' &&
      request.path.includes(`/issue/${issueId}/properties/${CRITERIA_PROPERTY_KEY}`),
  ).length;

describeWithContracts('the sqaiCriteria property', () => {
  it('is not written for a requirement without criteria; is set to zero when the criteria go', async () => {
    const world = createWorld();
    data(await world.invoke('saveSettings', demoSettings('enterprise')));
    await world.platform.queue.drain();
    const demo1 = world.jiraStore.issue('DEMO-1');
    // A story written without acceptance criteria (only an introduction).
    const without = world.jiraStore.createIssue({
      projectIdOrKey: 'DEMO',
      issueTypeIdOrName: 'Story',
      summary: 'Export the order history',
      description: {
        version: 1,
        type: 'doc',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Shoppers want their orders as CSV.' }] },
        ],
      },
    });
    if (!demo1) throw new Error('the demo has DEMO-1');
    // The backfill indexed DEMO-1 (it has criteria); a send of the story without criteria writes nothing.
    expect(demo1.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({
      criteria: expect.any(Number) as unknown,
    });
    data(await world.invokeIssue('sendToSqai', { force: true }, without.key));
    expect(propertyWrites(world, without.id)).toBe(0);
    expect(without.properties.get(CRITERIA_PROPERTY_KEY)).toBeUndefined();

    // DEMO-1's criteria are all removed: the property says so (zero), once.
    world.jiraStore.updateIssue(demo1.id, {
      description: {
        version: 1,
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Guest checkout.' }] }],
      },
    });
    const before = propertyWrites(world, demo1.id);
    data(await world.invokeIssue('sendToSqai', {}, 'DEMO-1'));
    expect(demo1.properties.get(CRITERIA_PROPERTY_KEY)).toMatchObject({ criteria: 0, unproven: 0 });
    expect(propertyWrites(world, demo1.id) - before).toBe(1);
    data(await world.invokeIssue('sendToSqai', { force: true }, 'DEMO-1'));
    expect(propertyWrites(world, demo1.id) - before).toBe(1);
  });
});
