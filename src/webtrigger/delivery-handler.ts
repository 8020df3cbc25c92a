/**
 * SQAI's deliveries of finished generations to the app's web trigger (`sqai-delivery`, URL shown on
 * the settings page with `?project=<id>`), by the Standard Webhooks specification (./signature.ts,
 * ./delivery-schema.ts, docs/sqai-contract.md "Deliveries"). Every check runs before anything is
 * stored: size (≤ 1 MB, before anything is parsed), signature (`webhook-signature` over
 * "<webhook-id>.<webhook-timestamp>.<body>" with the project's current secret, or the previous one
 * during a rotation's 24-hour overlap), freshness (≤ 5 minutes), de-duplication (a `webhook-id`
 * already handled is answered 200 `duplicate` and nothing is applied again; ids are remembered for
 * 24 hours), event type (one the app does not handle is answered 200 `ignored`), shape (zod), site
 * and a matching pending generation.
 *
 * Authentication is no oracle: a project without a delivery secret and headers that are missing,
 * malformed, stale or wrong all get one answer, 401 `UNAUTHENTICATED_MESSAGE` (same status, headers
 * and body), and the same HMAC work is done either way (two HMACs, decoy keys standing in for the
 * secrets a project does not have), so an anonymous caller cannot tell which projects receive
 * deliveries or have a rotation running. The true reason is logged (as `reason`, never a secret or
 * the signature). Only an authenticated delivery learns more, and only a holder of a valid secret
 * can send one.
 */
import { z } from 'zod';
import { Deadline } from '../clients/upstream';
import { AppError, isAppError } from '../errors';
import { acceptGeneration, recordGenerationFailure } from '../generate/generation-answer';
import { GenerationStore } from '../generate/store';
import { cloudIdOf } from '../platform/install-context';
import { KVS_MAX_VALUE_BYTES, PANEL_BUDGET_MS } from '../platform/limits';
import type { Platform } from '../platform/ports';
import { fitList } from '../platform/storage-bounds';
import { findProjectClients } from '../sync/project-clients';
import { safeParse } from '../clients/safe-parse';
import { DELIVERY_EVENT_TYPES, deliveryEnvelopeSchema, deliverySchema } from './delivery-schema';
import { readDeliverySecrets } from './delivery-settings';
import { newSecret, verifyDelivery, type DeliveryHeaders } from './signature';
import { auditDelivery, deliverySources, type DeliveryAudit } from '../audit/hooks';

export { deliverySchema } from './delivery-schema';

export const MAX_DELIVERY_BYTES = 1024 * 1024;
/**
 * How long a handled `webhook-id` is remembered: well past the 10 minutes replay protection needs
 * (twice the timestamp tolerance) and past the retries of the first hours; later retries of a
 * delivery already applied meet the finished generation instead (200 `already received`).
 */
export const DEDUPE_WINDOW_SECONDS = 24 * 60 * 60;
/** Remembered ids per project, newest kept. */
export const DEDUPE_MAX_IDS = 1_000;
/** What a 503 asks SQAI to wait before the next attempt (`Retry-After`, seconds). */
export const RETRY_AFTER_SECONDS = 60;
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

const reply = (
  statusCode: number,
  body: Record<string, unknown>,
  extra: Record<string, string[]> = {},
): WebTriggerResponseLike => ({
  statusCode,
  headers: { 'Content-Type': ['application/json'], ...extra },
  body: JSON.stringify(body),
});

/** The one answer to every delivery that is not authenticated, whatever the reason (see above). */
export const UNAUTHENTICATED_MESSAGE = 'The delivery could not be authenticated.';

/**
 * Stand-ins for the secrets a project does not have (none, or no previous one), so every path does
 * the same HMAC work. Random and never stored or shown: no signature can match them, and they are
 * checked only where the answer does not depend on them.
 */
const DECOYS = [newSecret(), newSecret()] as const;

const seenSchema = z.array(z.object({ id: z.string(), at: z.number() }));
const seenKey = (projectId: string) => `deliveries:${projectId}`;
/** The de-duplication set's bound (1,000 ASCII ids take about 60 KB); the newest ids are kept. */
const SEEN_BYTES = KVS_MAX_VALUE_BYTES - 1_024;

const header = (request: WebTriggerRequestLike, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, values] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return values?.[0];
  }
  return undefined;
};

const webhookHeaders = (request: WebTriggerRequestLike): DeliveryHeaders => ({
  'webhook-id': header(request, 'webhook-id'),
  'webhook-timestamp': header(request, 'webhook-timestamp'),
  'webhook-signature': header(request, 'webhook-signature'),
});

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

  const nowSeconds = Math.floor(platform.clock.now().getTime() / 1000);
  const secrets = await readDeliverySecrets(platform, projectId, nowSeconds);
  const signature = verifyDelivery(
    webhookHeaders(request),
    body,
    [secrets.current ?? DECOYS[0], secrets.previous?.secret ?? DECOYS[1]],
    nowSeconds,
  );
  const refusal = !secrets.current
    ? 'deliveries are not set up for this project'
    : signature.ok
      ? undefined
      : signature.reason;
  if (refusal !== undefined || !signature.ok) {
    platform.log.warn('Delivery refused: not authenticated', { projectId, reason: refusal });
    return reply(401, { error: UNAUTHENTICATED_MESSAGE });
  }
  const deliveryId = signature.id;
  // The audit trail (src/audit): every authenticated delivery, one entry, whatever the answer.
  const audit = (outcome: string, about: Partial<Omit<DeliveryAudit, 'body' | 'outcome'>> = {}) =>
    auditDelivery(platform, projectId, { body, sources: [], ...about, outcome });
  if (signature.secret === 1 && secrets.previous) {
    platform.log.info('Delivery signed with the previous secret', {
      projectId,
      deliveryId,
      previousValidUntil: new Date(secrets.previous.validUntil * 1000).toISOString(),
    });
  }

  const seen = safeParse(seenSchema, await platform.kvs.get(seenKey(projectId)));
  const recent = (seen.success ? seen.data : []).filter(
    (entry) => nowSeconds - entry.at < DEDUPE_WINDOW_SECONDS,
  );
  if (recent.some((entry) => entry.id === deliveryId)) {
    platform.log.info('Delivery already handled: answered as a duplicate', { projectId, deliveryId });
    await audit('duplicate');
    return reply(200, { status: 'duplicate' });
  }
  const remember = () =>
    platform.kvs.set(
      seenKey(projectId),
      fitList([{ id: deliveryId, at: nowSeconds }, ...recent].slice(0, DEDUPE_MAX_IDS), SEEN_BYTES),
    );

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    await audit('refused (400)');
    return reply(400, { error: 'The body is not JSON.' });
  }
  const invalid = (error: z.ZodError) => {
    const issue = error.issues[0];
    return reply(400, {
      error: `Invalid delivery: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    });
  };
  const envelope = safeParse(deliveryEnvelopeSchema, json);
  if (!envelope.success) {
    await audit('refused (400)');
    return invalid(envelope.error);
  }
  if (!(DELIVERY_EVENT_TYPES as readonly string[]).includes(envelope.data.type)) {
    // A type added after this version of the app: acknowledged so SQAI does not retry it for days.
    platform.log.info('Delivery ignored: event type not handled', {
      projectId,
      deliveryId,
      type: envelope.data.type,
    });
    await remember();
    await audit('ignored');
    return reply(200, { status: 'ignored' });
  }
  const parsed = safeParse(deliverySchema, json);
  if (!parsed.success) {
    await audit('refused (400)');
    return invalid(parsed.error);
  }
  const delivery = parsed.data;
  const about = { issueId: delivery.data.issueId, sources: deliverySources(delivery.data) };
  const installedCloud = cloudIdOf(context.installContext);
  if (!installedCloud || delivery.data.cloudId !== installedCloud) {
    await audit('refused (403)', about);
    return reply(403, { error: 'The delivery is for another site.' });
  }

  const store = new GenerationStore(platform.kvs);
  const { issueId } = delivery.data;
  const generation = await store.get(projectId, issueId);
  if (!generation || generation.id !== delivery.data.id) {
    await audit('refused (404)', { ...about, ...(generation ? { issueKey: generation.issue.key } : {}) });
    return reply(404, { error: 'No generation with this id is waiting for this issue.' });
  }
  const aboutIssue = { ...about, issueKey: generation.issue.key };
  if (generation.status === 'succeeded' || generation.status === 'failed') {
    await remember();
    await audit('duplicate', aboutIssue);
    return reply(200, { status: 'already received' });
  }

  const deadline = new Deadline(DELIVERY_BUDGET_MS);
  const clients = await findProjectClients(platform, projectId, deadline);
  if (!clients) {
    await audit('refused (409)', aboutIssue);
    return reply(409, { error: 'The project is not connected to SQAI.' });
  }
  const aboutSender = { ...aboutIssue, endpoint: clients.settings.sqai.endpoint };
  try {
    if (delivery.type === 'generation.failed') {
      await recordGenerationFailure(platform, {
        projectId,
        issueId,
        generation,
        reason: delivery.data.error ?? 'no reason given',
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
        tests: delivery.data.tests,
        updates: delivery.data.updates ?? [],
        deadline,
        as: 'app',
      });
    }
  } catch (error) {
    // Not the sender's fault (Jira or Xray failed): ask SQAI to deliver again later.
    const code = isAppError(error) ? error.code : 'INTERNAL';
    platform.log.warn('Delivery could not be processed', { projectId, deliveryId, code });
    await audit(`failed (${code})`, aboutSender);
    return reply(
      503,
      { error: 'The delivery could not be processed now; retry later.', code },
      { 'Retry-After': [String(RETRY_AFTER_SECONDS)] },
    );
  }
  await remember();
  await audit('accepted', aboutSender);
  platform.log.info('Generation delivered by SQAI', {
    projectId,
    issueId,
    deliveryId,
    generationId: generation.id,
  });
  return reply(202, { status: 'accepted' });
}

export function asWebTriggerError(error: unknown): WebTriggerResponseLike {
  return reply(isAppError(error) && error.status < 500 ? error.status : 500, {
    error: isAppError(error) ? error.message : new AppError('INTERNAL').message,
  });
}
