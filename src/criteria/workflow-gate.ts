/**
 * The workflow gate's decision (issue 18, item 4; docs/criteria.md "Workflow gate"): may this issue
 * move on, given its stored criteria and traceability? Pure and fast — no SQAI, Xray or Jira call:
 * the validator answers from what sync keeps current.
 *
 * What the refusal may say: the transitioning user can see the issue (Jira runs a transition's
 * validators only for a user with Browse projects and Transition issues on it), so the message names
 * the issue's own criteria — words from its description or configured field — and counts. It never
 * names a test, its key, its result or a Test Plan's content: those are other issues, which the user
 * may not be allowed to see.
 *
 * A criterion whose counted test is possibly stale for it (issue 19: written or last reviewed
 * against another wording, src/living/baselines.ts) is `stale`: not proven, still covered.
 */
import { z } from 'zod';
import {
  criterionStates,
  resultsIn,
  summarizeStates,
  type CriterionState,
  type CriterionStateName,
  issueKeySchema,
} from './state';
import type { StoredTraceability } from './store';
import { stalePairsOf, staleTestsOf } from '../living/baselines';

export const gateOptionsSchema = z
  .object({
    /** `covered`: every criterion has a test that counts; `proven`: every criterion is proven. */
    require: z.enum(['covered', 'proven']).default('proven'),
    /** Whose results count: this Test Plan's runs (default: each test's latest run overall). */
    testPlanKey: issueKeySchema.optional(),
    /**
     * No stored state (never synced, or incomplete): `refuse` (default: a gate that lets everything
     * through while the app is not set up protects nothing) or `allow`.
     */
    whenUnknown: z.enum(['refuse', 'allow']).default('refuse'),
  })
  .strict();
export type GateOptions = z.infer<typeof gateOptionsSchema>;
export type GateOptionsInput = z.input<typeof gateOptionsSchema>;

export type GateDecision =
  | { allow: true; reason: 'satisfied' | 'no-criteria' | 'unknown-allowed' }
  | { allow: false; reason: 'blocked' | 'unknown'; message: string; blocking: string[] };

/** Who the message says it is from. */
export const GATE_SIGNATURE = '(SQAI Connector)';
/** A refusal is one line of at most this many characters. */
export const MAX_GATE_MESSAGE = 300;
/** Each named criterion is cut to this many characters. */
export const MAX_NAMED_TEXT = 60;
/** At most this many criteria are named; the rest are counted. */
export const MAX_NAMED = 3;

const STATE_WORDS: Record<Exclude<CriterionStateName, 'proven'>, string> = {
  failing: 'failing',
  stale: 'stale',
  changed: 'changed since tested',
  notRun: 'not run',
  noTest: 'without a test',
};

/** Cuts `text` to `max` characters (between code points), with an ellipsis. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * One line: how many criteria block and why, then the first of them by name (each cut), then how
 * many more; always within MAX_GATE_MESSAGE characters.
 */
export function refusalMessage(
  blocking: readonly Pick<CriterionState, 'text' | 'state'>[],
  options: Pick<GateOptions, 'require' | 'testPlanKey'>,
): string {
  const count = blocking.length;
  const subject = plural(count, 'acceptance criterion', 'acceptance criteria');
  const verb = count === 1 ? 'is' : 'are';
  const what = options.require === 'covered' ? `${verb} not covered by a test` : `${verb} not proven`;
  // Coverage does not depend on results, so a Test Plan is named only for `proven`.
  const scope =
    options.testPlanKey && options.require === 'proven' ? ` in Test Plan ${options.testPlanKey}` : '';
  const counts = new Map<string, number>();
  for (const { state } of blocking) {
    if (state === 'proven') continue;
    counts.set(STATE_WORDS[state], (counts.get(STATE_WORDS[state]) ?? 0) + 1);
  }
  const why =
    options.require === 'proven' && counts.size > 1
      ? ` (${[...counts.entries()].map(([word, n]) => `${n} ${word}`).join(', ')})`
      : options.require === 'proven' && counts.size === 1
        ? ` (${[...counts.keys()].join('')})`
        : '';
  const head = `${subject} ${what}${scope}${why}`;
  for (let named = Math.min(MAX_NAMED, count); named >= 0; named -= 1) {
    for (let max = MAX_NAMED_TEXT; max >= 12; max -= 12) {
      const names = blocking.slice(0, named).map(({ text }) => `“${cut(text, max)}”`);
      const more = count - named;
      const list =
        named === 0
          ? ''
          : `: ${names.join(', ')}${more > 0 ? ` and ${plural(more, 'other', 'others')}` : ''}`;
      const line = `${head}${list} ${GATE_SIGNATURE}`;
      if (line.length <= MAX_GATE_MESSAGE) return line;
    }
  }
  return cut(`${head} ${GATE_SIGNATURE}`, MAX_GATE_MESSAGE);
}

/** The refusal when the app keeps nothing for the issue (never synced, or the state is incomplete). */
export const UNKNOWN_MESSAGE = `The acceptance criteria of this issue have not been checked yet: open its SQAI panel and send it to SQAI, or ask an admin to run the sync ${GATE_SIGNATURE}`;

/**
 * The gate's decision for one issue. `stored` undefined: the app keeps nothing for it. A stored state
 * that left tests out (`omittedTests`) is incomplete, so it is decided as unknown under `proven`.
 */
export function decideGate(stored: StoredTraceability | undefined, options: GateOptions): GateDecision {
  const incomplete = stored !== undefined && stored.trace.omittedTests > 0 && options.require === 'proven';
  if (stored === undefined || incomplete) {
    return options.whenUnknown === 'allow'
      ? { allow: true, reason: 'unknown-allowed' }
      : { allow: false, reason: 'unknown', message: UNKNOWN_MESSAGE, blocking: [] };
  }
  const { criteria } = stored.criteria;
  if (criteria.length === 0) return { allow: true, reason: 'no-criteria' };
  // A Test Plan the app keeps no results for: no test has run in it.
  const results = resultsIn(stored.trace, options.testPlanKey) ?? [];
  const stale = staleTestsOf(stored.criteria, stored.trace, stored.living);
  const states = criterionStates(criteria, stored.trace.mappings, results, stalePairsOf(stale));
  const blocking = states.filter(({ state }) =>
    options.require === 'covered' ? state === 'noTest' : state !== 'proven',
  );
  if (blocking.length === 0) return { allow: true, reason: 'satisfied' };
  return {
    allow: false,
    reason: 'blocked',
    message: refusalMessage(blocking, options),
    blocking: blocking.map(({ id }) => id),
  };
}

/**
 * The summary a decision was made from (for logs, the panel and the `sqaiCriteria` property): a
 * criterion a counted test of which is possibly stale for it (`stored.living`) is `stale`.
 */
export function gateSummary(stored: StoredTraceability, options: Pick<GateOptions, 'testPlanKey'>) {
  const results = resultsIn(stored.trace, options.testPlanKey) ?? [];
  const stale = staleTestsOf(stored.criteria, stored.trace, stored.living);
  return summarizeStates(
    criterionStates(stored.criteria.criteria, stored.trace.mappings, results, stalePairsOf(stale)),
    stale.length,
  );
}
