/**
 * The fast-check seed of a test run. `npm test` always uses DEFAULT_SEED (printed at the start of the
 * run); FC_SEED chooses another (`npm run trust` explores fresh ones), FC_PATH replays one case.
 * How many cases the heaviest properties run: all of them (`casesOf`'s `full`) in `npm run trust`
 * (FC_CASES=full), a tenth with the fixed seed in `npm test` (kept under its time budget).
 */
import type { Parameters } from 'fast-check';

export const DEFAULT_SEED = 20261203;

export interface SeedChoice {
  seed: number;
  path?: string;
}

/** FC_SEED / FC_PATH from the environment; a malformed seed is an error, never silently random. */
export function seedFrom(env: NodeJS.ProcessEnv): SeedChoice {
  const raw = env.FC_SEED?.trim();
  let seed = DEFAULT_SEED;
  if (raw !== undefined && raw !== '') {
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
      throw new Error(`FC_SEED must be an integer, got "${raw}"`);
    seed = Number(raw) | 0;
  }
  const path = env.FC_PATH?.trim();
  return path ? { seed, path } : { seed };
}

export function propertyConfig(env: NodeJS.ProcessEnv): Parameters<unknown> {
  return { ...seedFrom(env), ...(env.FC_NO_SHRINK === '1' ? { endOnFailure: true } : {}) };
}

export function describeSeed(choice: SeedChoice): string {
  const replay = `FC_SEED=${choice.seed}${choice.path ? ` FC_PATH=${choice.path}` : ''}`;
  return `fast-check seed ${choice.seed}${choice.path ? `, path ${choice.path}` : ''} (replay: ${replay} npx jest <file> -t '<property>')`;
}

/** `npm test`'s share of a heavy property's cases (its fixed seed is explored in full by `npm run trust`). */
export const NPM_TEST_SHARE = 0.1;

/**
 * The cases a heavy property runs: `full` when FC_CASES=full (`npm run trust`, which records each
 * property's case count in docs/reliability.md), else NPM_TEST_SHARE of it (at least 50).
 */
export function casesOf(full: number, env: NodeJS.ProcessEnv = process.env): number {
  const choice = env.FC_CASES?.trim();
  if (choice === 'full') return full;
  if (choice !== undefined && choice !== '')
    throw new Error(`FC_CASES must be "full" or unset, got "${choice}"`);
  return Math.max(50, Math.round(full * NPM_TEST_SHARE));
}
