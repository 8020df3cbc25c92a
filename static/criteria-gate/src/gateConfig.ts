/**
 * The workflow gate's options as its configuration page edits them, and the JSON string it hands to
 * Jira (`workflowRules.onConfigure`). Jira gives the saved string back as `extension.validatorConfig`
 * and to the validator function as `configuration`, which src/validators/criteria-gate.ts
 * `parseGateConfiguration` reads (strictly: only these keys). Kept free of zod so the page stays small.
 */

export type GateRequire = 'covered' | 'proven';
export type GateWhenUnknown = 'refuse' | 'allow';

export interface GateConfig {
  require: GateRequire;
  whenUnknown: GateWhenUnknown;
  /**
   * Only this Test Plan's runs count (`proven` only; absent: each test's latest run overall). The
   * app keeps the results of the newest 4 Test Plans a requirement's tests are in.
   */
  testPlanKey?: string;
}

export const DEFAULT_GATE_CONFIG: GateConfig = { require: 'proven', whenUnknown: 'refuse' };

/** Jira's issue key form, as the validator reads it (src/criteria/state.ts `issueKeySchema`). */
const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9][0-9]*$/;
const MAX_ISSUE_KEY = 50;

const isIssueKey = (value: string) => value.length <= MAX_ISSUE_KEY && ISSUE_KEY.test(value);

/**
 * The Test Plan field as typed: empty is "no plan" (each test's latest run overall); otherwise an
 * issue key, trimmed and upper-cased, or the error to show under the field.
 */
export function typedPlanKey(typed: string): { key: string | undefined } | { error: string } {
  const key = typed.trim().toUpperCase();
  if (key === '') return { key: undefined };
  return isIssueKey(key)
    ? { key }
    : { error: 'Enter a Test Plan’s issue key, such as DEMO-30, or leave the field empty.' };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The saved configuration (a JSON string, or already parsed), with the defaults for what it does
 * not say; `undefined` (a new validator) gives the defaults. An unreadable value also gives the
 * defaults, and `readable: false` tells the page to say so.
 */
export function readGateConfig(saved: unknown): { config: GateConfig; readable: boolean } {
  if (saved === undefined || saved === null || saved === '') {
    return { config: DEFAULT_GATE_CONFIG, readable: true };
  }
  let value: unknown = saved;
  if (typeof saved === 'string') {
    try {
      value = JSON.parse(saved) as unknown;
    } catch {
      return { config: DEFAULT_GATE_CONFIG, readable: false };
    }
  }
  if (!isRecord(value)) return { config: DEFAULT_GATE_CONFIG, readable: false };
  const require = value.require === 'covered' || value.require === 'proven' ? value.require : undefined;
  const whenUnknown =
    value.whenUnknown === 'refuse' || value.whenUnknown === 'allow' ? value.whenUnknown : undefined;
  const testPlanKey =
    typeof value.testPlanKey === 'string' && isIssueKey(value.testPlanKey) ? value.testPlanKey : undefined;
  const known = new Set(['require', 'whenUnknown', 'testPlanKey']);
  const readable =
    (value.require === undefined || require !== undefined) &&
    (value.whenUnknown === undefined || whenUnknown !== undefined) &&
    (value.testPlanKey === undefined || testPlanKey !== undefined) &&
    Object.keys(value).every((key) => known.has(key));
  return {
    config: {
      require: require ?? DEFAULT_GATE_CONFIG.require,
      whenUnknown: whenUnknown ?? DEFAULT_GATE_CONFIG.whenUnknown,
      ...(testPlanKey === undefined ? {} : { testPlanKey }),
    },
    readable,
  };
}

/**
 * What Jira stores: every option spelled out, so the saved rule reads the same if defaults change.
 * The Test Plan only with `proven` (coverage does not depend on results).
 */
export function gateConfigJson(config: GateConfig): string {
  const plan = config.require === 'proven' && config.testPlanKey ? { testPlanKey: config.testPlanKey } : {};
  return JSON.stringify({ require: config.require, ...plan, whenUnknown: config.whenUnknown });
}

/** One line summarising the options (the page's preview of what the rule will do). */
export function gateSummaryText(config: GateConfig): string {
  const what =
    config.require === 'covered'
      ? 'every acceptance criterion has at least one test'
      : `every acceptance criterion is proven: each of its tests passed in its latest run${
          config.testPlanKey ? ` in Test Plan ${config.testPlanKey}` : ''
        }, after the criterion last changed`;
  const unknown =
    config.whenUnknown === 'refuse'
      ? 'An issue the app has not checked yet is refused.'
      : 'An issue the app has not checked yet is allowed.';
  return `The transition is allowed only when ${what}. ${unknown}`;
}
