/**
 * A clock whose sleeps pass faster than real time: a sleep of `ms` lasts `ms / warp` of real time
 * and moves the clock forward by the rest, so the simulators (which read the same clock) see the
 * whole wait. `warp: Infinity` makes every sleep a macrotask long. Benchmarks warp the waits of the
 * app's rate-limit pacing (Xray's budget, Jira's limits); tests whose subject is not pacing use it
 * so that a 600-requirement run does not spend real seconds waiting for Jira's per-endpoint rate.
 */
import { sleep as realSleep } from '../../src/platform/sleep';

export interface WarpClock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Jumps forward (an hour passing between two scheduled runs). */
  advance(ms: number): void;
}

export function warpClock(warp: number, start = Date.now()): WarpClock {
  const realStart = Date.now();
  let extra = 0;
  return {
    now: () => new Date(start + (Date.now() - realStart) + extra),
    async sleep(ms, signal) {
      const real = Number.isFinite(warp) ? ms / warp : 0;
      await realSleep(real, signal);
      extra += ms - real;
    },
    advance(ms) {
      extra += ms;
    },
  };
}

/** A clock tests move by hand (`advance`): real time plus the offset moved so far. */
export function movableClock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}
