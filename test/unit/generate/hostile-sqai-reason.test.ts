/**
 * A hostile SQAI (A4) echoes the project's SQAI token in disguise — base64, base64url, hex, URL-
 * encoded, reversed, spaced out — in its reasons (issue 13 item 11): as a failed generation's
 * reason on a poll, in a signed `generation.failed` delivery, and as the `error` of a 4xx answer.
 * No disguise reaches a resolver answer (the generation DTO and its error), the store or a log
 * line. The suite-wide secret scan searches the same places for the same disguises; the checks
 * here are spelled out so this file fails on its own.
 */
import type { GenerationDto, RotatedDeliverySecretDto } from '../../../src/api';
import { deliveryWebtrigger } from '../../../src/index';
import { REDACTED } from '../../../src/platform/redact';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings, failure } from '../../harness/demo-settings';
import { deliveryBody, webTriggerHeaders } from '../../harness/sqai-sim/deliveries';
import { createWorld, DEMO, type World } from '../../harness/world';
import { disguisesOf } from '../platform/disguises';

/** The project's SQAI token: characters that URL-, form- and JSON-encoding change. */
const TOKEN = 'sqai_live/Q+x=9f~Ab.Cd-0123456789';
const ISSUE = 'DEMO-3';
const INSTALL = { installContext: `ari:cloud:jira::site/${DEMO.cloudId}` };

async function connected(): Promise<{ world: World; deliverySecret: string }> {
  const world = createWorld();
  world.sqai.addToken(TOKEN);
  const settings = demoSettings('enterprise');
  data(
    await world.invoke('saveSettings', { ...settings, secrets: { ...settings.secrets, sqaiToken: TOKEN } }),
  );
  const rotated = data(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
  return { world, deliverySecret: rotated.secret };
}

const start = (world: World) =>
  world.invokeIssue<GenerationDto>('startGeneration', { testTypes: ['Manual'], maxTests: 3 }, ISSUE);

/** Every string inside `value` (answers, stored records, parsed log lines). */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

/** What a user, the store and a log reader could see, each string as it is (not JSON-escaped). */
function everythingSeen(world: World): string[] {
  const logged = world.platform.log.lines.map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return line;
    }
  });
  return [
    ...stringsIn(world.responses),
    ...stringsIn(logged),
    ...stringsIn([...world.platform.kvs.data.values()]),
  ];
}

describeWithContracts('a hostile SQAI echoes the token in disguise', () => {
  it.each(disguisesOf(TOKEN))('the token %s reaches no user, store or log', async (_name, form) => {
    const { world, deliverySecret } = await connected();
    const reason = `token ${form} may not generate for this site`;

    // 1. A 4xx answer whose error carries it.
    world.sqai.failNext({ path: '/v1/generations', method: 'POST', status: 400, body: { error: reason } });
    const refused = failure(await start(world));
    expect(refused.code).toBe('SQAI_REJECTED');
    // The message names the request that failed; SQAI's own words go only to the redacted log.
    expect(refused.message).toMatch(/400 .*POST \S*\/v1\/generations/);
    expect(refused.message).not.toContain('may not generate');

    // 2. A failed generation, polled: its reason carries it.
    const polled = data(await start(world));
    world.sqai.failNext({
      path: `/v1/generations/${polled.id}`,
      method: 'GET',
      status: 200,
      body: { id: polled.id, status: 'failed', error: reason },
    });
    const failed = data(await world.invokeIssue<GenerationDto>('pollGeneration', {}, ISSUE));
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toMatch(/^SQAI could not generate tests: token .*\[redacted\]/);

    // 3. A signed generation.failed delivery: its reason carries it.
    const delivered = data(await start(world));
    const remote = world.sqai.generations.get(delivered.id);
    const body = deliveryBody('generation.failed', {
      id: delivered.id,
      cloudId: remote?.cloudId,
      issueId: remote?.issueId,
      issueKey: remote?.issueKey,
      status: 'failed',
      error: reason,
    });
    const answer = await deliveryWebtrigger(
      {
        method: 'POST',
        body,
        headers: webTriggerHeaders(deliverySecret, {
          id: `msg_hostile_${delivered.id}`,
          body,
          unixSeconds: Math.floor(Date.now() / 1000),
        }),
        queryParameters: { project: [DEMO.project.id] },
      },
      INSTALL,
    );
    expect(answer.statusCode).toBe(202);
    const panel = data(
      await world.invokeIssue<{ generation: GenerationDto }>('getGenerationPanel', {}, ISSUE),
    );
    expect(panel.generation.status).toBe('failed');
    expect(panel.generation.error?.message).toContain(REDACTED);

    // Nowhere, in any of the three: not in an answer, not stored, not logged.
    const leaks = everythingSeen(world).filter((text) => text.includes(form) || text.includes(TOKEN));
    expect(leaks).toEqual([]);
  });
});
