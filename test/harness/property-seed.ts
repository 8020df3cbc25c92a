/**
 * The fast-check seed of a test run. `npm test` always uses DEFAULT_SEED (printed at the start of the
 * run); FC_SEED chooses another (`npm run trust` explores fresh ones), FC_PATH replays one case.
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
