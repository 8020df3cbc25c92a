/**
 * The seam between handlers and the platform. In Forge, the first call builds the Forge adapter;
 * the local playground and the tests install their own adapters with `installPlatform` before
 * invoking the real handlers in `src/index.ts`.
 */
import type { Platform } from './ports';
import { createForgePlatform } from './forge-adapter';

let current: Platform | undefined;

export function platform(): Platform {
  current ??= createForgePlatform();
  return current;
}

export function installPlatform(next: Platform | undefined): void {
  current = next;
}
