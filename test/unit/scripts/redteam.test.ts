/**
 * `npm run redteam` (issue 13): every finding, replayed against a running playground as the people
 * who found it acted, is blocked. Each attack is also a failing-first test of its own elsewhere;
 * this keeps the replay itself honest (an attack that cannot run counts as getting through).
 */
import { ATTACKS, runRedTeam } from '../../harness/redteam/attacks';

describe('npm run redteam', () => {
  it('replays items 0–13 and every one is blocked', async () => {
    expect(ATTACKS.map((attack) => attack.item)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const results = await runRedTeam();
    const verdicts = results.map(({ attack, outcome }) => [
      attack.item,
      outcome.blocked ? 'blocked' : `got through: ${outcome.evidence}`,
    ]);
    expect(verdicts).toEqual(ATTACKS.map((attack) => [attack.item, 'blocked']));
  }, 180_000);
});
