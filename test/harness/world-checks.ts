/** Checks a test makes of a world after it ran (jest only: the playground and benches do not load this). */
import { JIRA_OPERATIONS } from '../../src/clients/jira-operations';
import type { World } from './world';

/**
 * What every test of a world may end with: each Jira request valid against the OpenAPI spec and one
 * of the operations the app's scope check covers, each Xray document valid against the schema.
 * (Secrets in answers, logs and requests are checked for every test by the suite-wide secret scan.)
 */
export function expectWorldWithinContracts(world: World): void {
  expect(world.jira.violations).toEqual([]);
  expect(world.confluence.violations).toEqual([]);
  expect(world.xray.documentErrors).toEqual([]);
  const known = new Set(Object.keys(JIRA_OPERATIONS));
  const unknown = world.jira.requests.filter((request) => !known.has(request.operationId ?? ''));
  expect(unknown.map((request) => `${request.method} ${request.path}`)).toEqual([]);
}
