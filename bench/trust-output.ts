/**
 * What `npm run trust` reads: which unit test files run fast-check properties, and, in a failed
 * round's jest output, the failing tests and fast-check's replay parameters.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** The unit test files that run fast-check properties. */
export function propertyTestFiles(dir = path.join(root, 'test', 'unit')): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...propertyTestFiles(full));
    else if (/\.test\.tsx?$/.test(name) && /from 'fast-check'/.test(readFileSync(full, 'utf8')))
      files.push(full);
  }
  return files.sort();
}

export interface Counterexample {
  seed: string;
  path: string;
}

/** fast-check's replay parameters in a failed run's output (`{ seed: 1, path: "0:1", … }`). */
export function counterexamplesIn(output: string): Counterexample[] {
  const found = new Map<string, Counterexample>();
  for (const match of output.matchAll(/\{\s*seed:\s*(-?\d+),\s*path:\s*"([\d:]+)"/g)) {
    const [, seed = '', replayPath = ''] = match;
    found.set(`${seed}|${replayPath}`, { seed, path: replayPath });
  }
  return [...found.values()];
}

/** Names of the failing tests in jest's output (`● describe › test`). */
export function failingTestsIn(output: string): string[] {
  return [...new Set([...output.matchAll(/^\s*● (.+ › .+)$/gm)].map((match) => match[1] ?? ''))];
}
