/**
 * Forge reuses a warm instance for later invocations, and those may belong to another installation
 * (docs/forge-fidelity.md, rule 10). Two sites run through the same loaded module here, interleaved:
 * no Xray token, secret, rate budget or cache of one reaches the other, and nothing of theirs stays
 * in the module once their invocations end.
 */
import type { IssuePanelView, SendToSqaiResult } from '../../../src/api';
import { budgetFor } from '../../../src/clients/xray/rate-budget';
import { invocationState, resetDetachedState, runInvocation } from '../../../src/platform/invocation';
import { redactText, registerSecret, REDACTED } from '../../../src/platform/redact';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import { createWorld } from '../../harness/world';

const clock = { now: () => Date.now(), sleep: async () => undefined };

describe('invocation state', () => {
  it('a secret registered in one invocation is redacted there and unknown to the next', () => {
    resetDetachedState();
    runInvocation(() => {
      registerSecret('site-a-client-secret');
      expect(redactText('auth site-a-client-secret')).toBe(`auth ${REDACTED}`);
    });
    runInvocation(() => expect(invocationState().secrets.size).toBe(0));
    expect(invocationState().secrets.size).toBe(0);
  });

  it("each invocation paces with its own Xray budget: one site's spent budget never slows another", () => {
    const first = runInvocation(() => {
      const bucket = budgetFor('standard', clock);
      bucket.drain();
      expect(budgetFor('standard', clock)).toBe(bucket);
      return bucket;
    });
    const second = runInvocation(() => budgetFor('standard', clock));
    expect(second).not.toBe(first);
  });
});

describeWithContracts('two sites through one loaded module', () => {
  it('keep their Xray tokens, secrets and caches apart while interleaved, and leave nothing behind', async () => {
    resetDetachedState();
    // Same Xray credentials on both sites (the hardest case: the same token-cache fingerprint);
    // each site's Xray accepts only the tokens it issued itself.
    const a = createWorld({ latencyMs: 2 });
    const b = createWorld({ latencyMs: 2 });
    data(await a.invoke('saveSettings', demoSettings('enterprise')));
    data(await b.invoke('saveSettings', demoSettings('standard')));
    const unauthorized = () =>
      [...a.xray.requests, ...b.xray.requests].filter((request) => request.status === 401).length;
    const before = { a: a.xray.requests.length, b: b.xray.requests.length };

    for (let round = 0; round < 3; round += 1) {
      const answers = await Promise.all([
        a.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-1'),
        b.invokeIssue<IssuePanelView>('getIssuePanel', {}, 'DEMO-2'),
        a.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-3'),
        b.invokeIssue<SendToSqaiResult>('sendToSqai', { force: true }, 'DEMO-4'),
      ]);
      expect(answers.map((answer) => (answer.ok ? 'ok' : answer.error.code))).toEqual([
        'ok',
        'ok',
        'ok',
        'ok',
      ]);
    }

    expect(a.xray.requests.length).toBeGreaterThan(before.a);
    expect(b.xray.requests.length).toBeGreaterThan(before.b);
    // A token of the other site would not verify here (each simulator signs its own): 0 × 401.
    expect(unauthorized()).toBe(0);
    // Nothing of either site stayed in the module.
    expect(invocationState().secrets.size).toBe(0);
    for (const cache of invocationState().memo.values()) expect(cache).toEqual(new Map());
  });
});
