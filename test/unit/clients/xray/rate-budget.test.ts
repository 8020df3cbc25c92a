import { RateBudget } from '../../../../src/clients/xray/rate-budget';

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
