/**
 * `npm run redteam`: replays issue 13's findings against the local playground, as the people who
 * found them acted (test/harness/redteam/attacks.ts), and prints blocked / got through for each.
 * Exits 1 when anything got through.
 *
 *   npm run redteam              every attack
 *   npm run redteam -- 4 7       only items 4 and 7
 */
import { ATTACKS, runRedTeam } from '../test/harness/redteam/attacks';

async function main(): Promise<void> {
  const wanted = new Set(process.argv.slice(2).map(Number).filter(Number.isInteger));
  const attacks = wanted.size === 0 ? ATTACKS : ATTACKS.filter((attack) => wanted.has(attack.item));
  const results = await runRedTeam(attacks);
  for (const { attack, outcome, ms } of results) {
    const verdict = outcome.blocked ? 'blocked     ' : 'GOT THROUGH ';
    console.log(`${verdict} #${String(attack.item).padEnd(2)} ${attack.title}`);
    console.log(`             as ${attack.as} — ${outcome.evidence} (${Math.round(ms)} ms)`);
  }
  const through = results.filter(({ outcome }) => !outcome.blocked).length;
  console.log(`\n${results.length - through} of ${results.length} blocked.`);
  process.exitCode = through === 0 ? 0 : 1;
}

void main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
