/**
 * The Criteria view's scope choice with Test Executions (static/issue-panel/src/criteria/scope.ts):
 * plans and executions are told apart by their labels and never share an option value, and a value
 * maps to the getCriteria payload and back.
 */
import { criteriaKey } from '../../../static/issue-panel/src/criteria/keys';
import {
  executionLabel,
  executionValue,
  LATEST_RUN,
  scopeInputOf,
  scopeNoteText,
  scopeOptions,
  scopeValueOf,
  showsScopeChoice,
} from '../../../static/issue-panel/src/criteria/scope';

describe('the Criteria view’s scope choice with Test Executions', () => {
  const plans = [{ key: 'DEMO-30', summary: 'Release 2.4 regression' }];
  const executions = [{ key: 'DEMO-87', summary: 'Nightly run' }, { key: 'DEMO-86' }];

  it('lists the executions after the plans, labelled as executions, with values apart from plan keys', () => {
    expect(scopeOptions({ plans, executions, scope: { kept: true } }, undefined)).toEqual([
      { label: 'Latest run', value: LATEST_RUN },
      { label: 'Test Plan DEMO-30 · Release 2.4 regression', value: 'DEMO-30' },
      { label: 'Test Execution DEMO-87 · Nightly run', value: 'execution:DEMO-87' },
      { label: 'Test Execution DEMO-86', value: 'execution:DEMO-86' },
    ]);
    expect(executionLabel({ key: 'DEMO-86' })).toBe('Test Execution DEMO-86');
    expect(showsScopeChoice({ plans: [], executions }, undefined)).toBe(true);
    expect(showsScopeChoice({ plans: [], executions: [] }, undefined)).toBe(false);
  });

  it('keeps a chosen execution no longer kept listed as an execution, and says the latest run is shown', () => {
    const view = { plans: [], executions: [], scope: { testExecutionKey: 'DEMO-9', kept: false } };
    const chosen = executionValue('DEMO-9');
    expect(scopeOptions(view, chosen).at(-1)).toEqual({ label: 'Test Execution DEMO-9', value: chosen });
    expect(scopeNoteText(view)).toBe(
      'No results are kept for DEMO-9 yet — the app keeps the newest 4 Test Executions this ' +
        'requirement’s tests ran in. Showing each test’s latest run instead.',
    );
    expect(scopeNoteText({ scope: { testExecutionKey: 'DEMO-87', kept: true } })).toBeUndefined();
  });

  it('maps a value to the getCriteria payload and the answered scope back, each under its own query key', () => {
    expect(scopeInputOf(undefined)).toEqual({});
    expect(scopeInputOf(LATEST_RUN)).toEqual({});
    expect(scopeInputOf('DEMO-30')).toEqual({ testPlanKey: 'DEMO-30' });
    expect(scopeInputOf(executionValue('DEMO-87'))).toEqual({ testExecutionKey: 'DEMO-87' });
    expect(scopeValueOf({ kept: true })).toBeUndefined();
    expect(scopeValueOf({ testPlanKey: 'DEMO-30', kept: true })).toBe('DEMO-30');
    expect(scopeValueOf({ testExecutionKey: 'DEMO-87', kept: false })).toBe('execution:DEMO-87');
    const keys = [undefined, 'DEMO-30', executionValue('DEMO-30')].map((scope) =>
      criteriaKey('DEMO-1', scope).join(' '),
    );
    expect(new Set(keys).size).toBe(3);
    expect(keys[0]).toBe('criteria DEMO-1 latest');
  });
});
