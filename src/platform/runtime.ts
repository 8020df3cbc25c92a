/**
 * The seam between handlers and the platform. In Forge, the first call builds the Forge adapter
 * (stateless: the tenant comes from Forge's own invocation context). The local harness gives each
 * invocation the platform of the site it invokes (`runInvocation` in ./invocation.ts), so two
 * simulated sites can run interleaved; `installPlatform` sets the one used outside an invocation.
 */
import type { Platform } from './ports';
import { createForgePlatform } from './forge-adapter';
import { invocationState } from './invocation';

let current: Platform | undefined;

export function platform(): Platform {
  const invoked = invocationState().platform;
  if (invoked) return invoked;
  current ??= createForgePlatform();
  return current;
}

export function installPlatform(next: Platform | undefined): void {
  current = next;
}
