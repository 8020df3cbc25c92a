/**
 * SQAI's deliveries of finished generations to the app's web trigger (`sqai-delivery`, URL shown on
 * the settings page with `?project=<id>`). Every check runs before anything is stored, and every
 * rejection is a 4xx: size (≤ 1 MB), signature (HMAC-SHA256 over "<t>.<body>" with the project's
 * secret), freshness (≤ 5 minutes), shape (zod), site, replay (delivery ids are remembered for 10
 * minutes) and a matching pending generation.
 *
 * Authentication is no oracle: a project without a delivery secret and a signature that is missing,
 * malformed, stale or wrong all get one answer, 401 `UNAUTHENTICATED_MESSAGE` (same status, headers
 * and body), and the HMAC is computed either way (with a throw-away key when there is no secret), so
 * an anonymous caller cannot tell which projects receive deliveries. The true reason is logged (as
 * `reason`, never a secret or the signature). Only an authenticated delivery learns more (shape,
 * site, replay, generation), and only the holder of the project's secret can send one.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { keys } from '../config/settings-store';
import { Deadline } from '../clients/upstream';
import { AppError, isAppError } from '../errors';
import { acceptGeneration, recordGenerationFailure } from '../generate/generation-answer';
import { GenerationStore } from '../generate/store';
import { cloudIdOf } from '../platform/install-context';
import { KVS_MAX_VALUE_BYTES, PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import { registerSecret } from '../platform/redact';
import { fitList } from '../platform/storage-bounds';
import { findProjectClients } from '../sync/project-clients';
import { verifySignature } from './signature';
import { safeParse } from '../clients/safe-parse';

export const MAX_DELIVERY_BYTES = 1024 * 1024;
const REPLAY_WINDOW_SECONDS = 600;
/** Accepting a delivery is a poll's work: it gets a panel call's budget, well inside a web trigger's 55 s. */
const DELIVERY_BUDGET_MS = PANEL_BUDGET_MS;

export interface WebTriggerRequestLike {
  method: string;
  body?: string;
  headers: Record<string, string[] | undefined>;
  queryParameters: Record<string, string[] | undefined>;
}

export interface WebTriggerResponseLike {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

const reply = (statusCode: number, body: Record<string, unknown>): WebTriggerResponseLike => ({
  statusCode,
  headers: { 'Content-Type': ['application/json'] },
  body: JSON.stringify(body),
});

/** The one answer to every delivery that is not authenticated, whatever the reason (see above). */
export const UNAUTHENTICATED_MESSAGE = 'The delivery could not be authenticated.';

/**
 * Verifies deliveries to a project that has no secret, so that path does the same HMAC work as a
 * wrong signature. Random and never stored or shown: no signature can match it, and it is checked
 * only when the project has no secret, whose answer is UNAUTHENTICATED regardless.
 */
const DECOY_SECRET = `sqaiwh_${randomBytes(32).toString('hex')}`;

export const deliverySchema = z
  .object({
    // Plain ASCII, so the replay set of the window (1,000 ids) stays far inside one stored value.
    deliveryId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'A delivery id is 8–100 letters, digits, ".", "_", ":" or "-".'),
    type: z.enum(['generation.succeeded', 'generation.failed']),
    generation: z
      .object({
        id: z.string().min(1).max(100),
        cloudId: z.string().min(1).max(100),
        issueId: z.string().regex(/^\d{1,18}$/),
        issueKey: z.string().max(50),
        status: z.enum(['succeeded', 'failed']),
        tests: z.array(z.unknown()).max(50).nullish(),
        error: z.string().max(1_000).nullish(),
      })
      .loose(),
  })
  .loose();

const seenSchema = z.array(z.object({ id: z.string(), at: z.number() }));
const seenKey = (projectId: string) => `deliveries:${projectId}`;
/** The replay set's bound (1,000 ASCII ids take about 130 KB); the newest ids are kept. */
const SEEN_BYTES = KVS_MAX_VALUE_BYTES - 1_024;

const header = (request: WebTriggerRequestLike, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, values] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return values?.[0];
  }
  return undefined;
};

export async function handleDelivery(
  platform: Platform,
  request: WebTriggerRequestLike,
  context: { installContext?: string },
): Promise<WebTriggerResponseLike> {
  if (request.method.toUpperCase() !== 'POST') return reply(405, { error: 'Use POST.' });
  const body = request.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > MAX_DELIVERY_BYTES)
    return reply(413, { error: 'The body is larger than 1 MB.' });
  const projectId = request.queryParameters.project?.[0] ?? '';
  if (!/^\d{1,18}$/.test(projectId)) return reply(400, { error: 'The URL must carry ?project=<id>.' });

  const secret = await platform.secrets.getSecret(keys.deliverySecret(projectId));
  registerSecret(secret);
  const nowSeconds = Math.floor(platform.clock.now().getTime() / 1000);
  const signature = verifySignature(
    header(request, 'x-sqai-signature'),
    body,
    secret ?? DECOY_SECRET,
    nowSeconds,
  );
  const refusal = !secret
    ? 'deliveries are not set up for this project'
    : signature.ok
      ? undefined
      : signature.reason;
  if (refusal !== undefined) {
    platform.log.warn('Delivery refused: not authenticated', { projectId, reason: refusal });
    return reply(401, { error: UNAUTHENTICATED_MESSAGE });
  }

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return reply(400, { error: 'The body is not JSON.' });
  }
  const parsed = safeParse(deliverySchema, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reply(400, {
      error: `Invalid delivery: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  const delivery = parsed.data;
  const installedCloud = cloudIdOf(context.installContext);
  if (!installedCloud || delivery.generation.cloudId !== installedCloud) {
    return reply(403, { error: 'The delivery is for another site.' });
  }
  const seen = safeParse(seenSchema, await platform.kvs.get(seenKey(projectId)));
  const recent = (seen.success ? seen.data : []).filter(
    (entry) => nowSeconds - entry.at < REPLAY_WINDOW_SECONDS,
  );
  if (recent.some((entry) => entry.id === delivery.deliveryId)) {
    return reply(409, { error: 'This delivery was already received.' });
  }

  const store = new GenerationStore(platform.kvs);
  const { issueId } = delivery.generation;
  const generation = await store.get(projectId, issueId);
  if (!generation || generation.id !== delivery.generation.id) {
    return reply(404, { error: 'No generation with this id is waiting for this issue.' });
  }
  const remember = () =>
    platform.kvs.set(
      seenKey(projectId),
      fitList([{ id: delivery.deliveryId, at: nowSeconds }, ...recent].slice(0, 1_000), SEEN_BYTES),
    );
  if (generation.status === 'succeeded' || generation.status === 'failed') {
    await remember();
    return reply(200, { status: 'already received' });
  }

  const deadline = new Deadline(DELIVERY_BUDGET_MS);
  const clients = await findProjectClients(platform, projectId, deadline);
  if (!clients) return reply(409, { error: 'The project is not connected to SQAI.' });
  try {
    if (delivery.type === 'generation.failed' || delivery.generation.status === 'failed') {
      await recordGenerationFailure(platform, {
        projectId,
        issueId,
        generation,
        reason: delivery.generation.error ?? 'no reason given',
        sqai: clients.sqai,
      });
    } else {
      await acceptGeneration(platform, {
        requirement: {
          cloudId: installedCloud,
          siteUrl: null,
          project: generation.project,
          issue: generation.issue,
        },
        clients,
        generation,
        tests: delivery.generation.tests ?? [],
        deadline,
        as: 'app',
      });
    }
  } catch (error) {
    // Not the sender's fault (Jira or Xray failed): ask SQAI to deliver again later.
    const code = isAppError(error) ? error.code : 'INTERNAL';
    platform.log.warn('Delivery could not be processed', { projectId, code });
    return reply(503, { error: 'The delivery could not be processed now; retry later.', code });
  }
  await remember();
  platform.log.info('Generation delivered by SQAI', { projectId, issueId, generationId: generation.id });
  return reply(202, { status: 'accepted' });
}

export function asWebTriggerError(error: unknown): WebTriggerResponseLike {
  return reply(isAppError(error) && error.status < 500 ? error.status : 500, {
    error: isAppError(error) ? error.message : new AppError('INTERNAL').message,
  });
}
