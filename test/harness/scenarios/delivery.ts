/**
 * A project ready to receive SQAI's signed deliveries: DEMO connected, its delivery secret created,
 * and a generation waiting on DEMO-3. Shared by the web trigger's tests, with the helpers that build
 * a delivery as SQAI sends it (Standard Webhooks headers, `{type, timestamp, data}` body).
 */
import type { GenerationDto, RotatedDeliverySecretDto } from '../../../src/api';
import type { WebTriggerRequestLike } from '../../../src/webtrigger/delivery-handler';
import { data, demoSettings } from '../demo-settings';
import { deliveryBody, webTriggerHeaders } from '../sqai-sim/deliveries';
import { createWorld, DEMO, type World } from '../world';

/** The install context Forge passes to the web trigger of the demo site. */
export const DEMO_INSTALL = { installContext: `ari:cloud:jira::site/${DEMO.cloudId}` };

export interface DeliverySetup {
  world: World;
  secret: string;
  url: string;
  generation: GenerationDto;
}

export async function deliverySetup(
  input: { testTypes: string[]; maxTests: number } = { testTypes: ['Manual', 'Cucumber'], maxTests: 5 },
  options: { now?: () => Date } = {},
): Promise<DeliverySetup> {
  const world = createWorld(options.now ? { now: options.now } : {});
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  const rotated = data(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
  const generation = data(await world.invokeIssue<GenerationDto>('startGeneration', input, 'DEMO-3'));
  return { world, secret: rotated.secret, url: rotated.url ?? '', generation };
}

/**
 * The body SQAI sends when the set-up generation finished: `generation.succeeded` with its tests
 * (or `generation.failed` with `error`), `data` fields overridable.
 */
export function generationDelivery(
  setup: DeliverySetup,
  options: { type?: string; data?: Record<string, unknown>; at?: Date } = {},
): string {
  const remote = setup.world.sqai.generations.get(setup.generation.id);
  const type = options.type ?? 'generation.succeeded';
  const failed = type === 'generation.failed';
  return deliveryBody(
    type,
    {
      id: setup.generation.id,
      cloudId: remote?.cloudId,
      issueId: remote?.issueId,
      issueKey: remote?.issueKey,
      status: failed ? 'failed' : 'succeeded',
      ...(failed ? { error: 'no tests could be generated' } : { tests: remote?.tests ?? [] }),
      ...options.data,
    },
    options.at,
  );
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A web trigger request carrying `body`, signed with `secrets` (none: no signature headers), as
 * Forge hands it to the app.
 */
export function deliveryRequest(
  body: string,
  secrets: string | readonly string[] | undefined,
  options: { id?: string; at?: number; project?: string; headers?: Record<string, string[]> } = {},
): WebTriggerRequestLike {
  const id = options.id ?? 'msg_0001aaaa';
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': ['application/json'],
      ...(secrets === undefined
        ? {}
        : webTriggerHeaders(secrets, { id, body, unixSeconds: options.at ?? nowSeconds() })),
      ...options.headers,
    },
    queryParameters: { project: [options.project ?? DEMO.project.id] },
  };
}
