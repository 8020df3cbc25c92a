import { LEDGER_REFRESH_MS, RateBudget } from '../../../../src/clients/xray/rate-budget';
import type { SiteUsage } from '../../../../src/clients/xray/usage-ledger';

function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('RateBudget', () => {
  it('lets a small burst through at once, then paces to the plan’s rate', async () => {
    const { clock, slept } = fakeClock();
    const budget = new RateBudget(300, clock); // Standard: 300 / 5 min, 90 % for the app
    for (let i = 0; i < 27; i += 1) await budget.acquire();
    expect(slept).toEqual([]);
    await budget.acquire();
    // 270 requests per 300 s → one every 1.11 s
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(1_000);
    expect(slept[0]).toBeLessThan(1_200);
  });

  it('never exceeds the budget over a 5-minute window', async () => {
    const { clock } = fakeClock();
    const budget = new RateBudget(1_000, clock);
    for (let i = 0; i < 2_000; i += 1) await budget.acquire();
    const elapsedMs = clock.now();
    const perFiveMinutes = (2_000 / elapsedMs) * 300_000;
    expect(perFiveMinutes).toBeLessThanOrEqual(1_000);
    expect(perFiveMinutes).toBeGreaterThan(850);
  });

  it('slows down after a 429', async () => {
    const { clock, slept } = fakeClock();
    const budget = new RateBudget(300, clock);
    await budget.acquire();
    budget.drain();
    await budget.acquire();
    expect(slept).toHaveLength(1);
  });
});

// Issue 14 item 5: one Xray budget for the site. People (resolvers) are served first and recorded;
// background runs leave what people used in the last five minutes to them.
describe('one Xray budget for the site', () => {
  const ledgerSaying = (used: () => number) => {
    const reads: number[] = [];
    const ledger: SiteUsage = {
      interactiveRecent: () => {
        reads.push(used());
        return Promise.resolve(used());
      },
      recordInteractive: () => Promise.resolve(),
    };
    return { reads, ledger };
  };

  it('never makes an interactive request wait', async () => {
    const { clock, slept } = fakeClock();
    const budget = new RateBudget(300, clock, { traffic: 'interactive' });
    for (let i = 0; i < 100; i += 1) await budget.acquire();
    expect(slept).toEqual([]);
    expect(budget.stats.granted).toBe(100);
  });

  it('a background run leaves people their share: together they stay within 300 per 5 minutes', async () => {
    const { clock } = fakeClock();
    const { ledger } = ledgerSaying(() => 150);
    const budget = new RateBudget(300, clock, { ledger });
    for (let i = 0; i < 600; i += 1) await budget.acquire();
    const perFiveMinutes = (600 / clock.now()) * 300_000;
    // 90 % of 300 = 270 for the app, less the 150 people used: 120 per window for the run.
    expect(perFiveMinutes + 150).toBeLessThanOrEqual(300);
    expect(perFiveMinutes).toBeGreaterThan(100);
  });

  it('re-reads the ledger every 15 s and keeps a floor of 10 % when people use it all', async () => {
    const { clock } = fakeClock();
    let used = 0;
    const { ledger, reads } = ledgerSaying(() => used);
    const budget = new RateBudget(300, clock, { ledger });
    for (let i = 0; i < 40; i += 1) await budget.acquire();
    const before = reads.length;
    used = 10_000;
    const start = clock.now();
    for (let i = 0; i < 60; i += 1) await budget.acquire();
    expect(reads.length).toBeGreaterThan(before);
    expect(reads.length).toBeLessThanOrEqual(Math.ceil(clock.now() / LEDGER_REFRESH_MS) + 1);
    // The floor: 30 per 5 minutes (10 % of 300), i.e. one every 10 s.
    const perFiveMinutes = (60 / (clock.now() - start)) * 300_000;
    expect(perFiveMinutes).toBeLessThan(45);
    expect(perFiveMinutes).toBeGreaterThan(20);
  });
});
