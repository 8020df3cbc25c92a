/**
 * Jest globalSetup (unit suite): prints the fast-check seed the run uses, once, before any test.
 * The workers read the same FC_SEED (test/setup/fast-check-seed.ts), so every property of the run
 * draws its cases from it.
 */
import { describeSeed, seedFrom } from '../harness/property-seed';

export default function printSeed(): void {
  const choice = seedFrom(process.env);
  process.env.FC_SEED = String(choice.seed);
  process.stdout.write(`\n${describeSeed(choice)}\n`);
}
