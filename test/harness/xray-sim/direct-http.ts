/**
 * The app's `Http` port answered by an Xray simulator in-process (no socket): for tests that drive the
 * real XrayClient against the simulator many times (property tests), where a served port costs more.
 */
import type { Http } from '../../../src/platform/ports';
import { toHttpResponse } from '../local-platform';
import type { XraySimulator } from './simulator';

export function directHttp(sim: XraySimulator): Http {
  return {
    async fetch(url, init) {
      return toHttpResponse(
        await sim.handle({
          method: init.method ?? 'GET',
          url,
          headers: init.headers ?? {},
          ...(init.body === undefined ? {} : { body: init.body }),
          ...(init.signal ? { signal: init.signal } : {}),
        }),
      );
    },
  };
}
