/**
 * Syncs one requirement: gather its context, skip the push when SQAI already holds this exact
 * content (unless forced), push it, and record the attempt. The same use case serves the panel's
 * button (acting as the user), the scheduled sync and backfills (acting as the app).
 */
import type { SyncOutcome } from '../api';
import { gatherContext, type GatheredContext, type GatherInput } from '../context/gather';
import { getPlanResults, resultsFor, type PlanResult } from '../clients/xray/plan-results';
import { saveDocumentCriteria } from '../criteria/document-criteria';
import type { ContextDocument } from '../context/schema';
import { AppError, hasCode, toErrorDto } from '../errors';
import type { Platform } from '../platform/ports';
import type { IssueRef } from './issue-ref';
import type { ProjectClients } from './project-clients';
import { heldBySqai, holdsContent, SyncStateStore, syncStateKey, type SyncState } from './state';
import type { Held } from '../clients/sqai';
import type { Deadline } from '../clients/upstream';
import { passConsentThrough } from '../platform/forge-errors';
import { keepTraceability } from '../criteria/sync-traceability';
import { dropFromRanking } from '../criteria/project-index';
import { auditSend, outcomeOfError } from '../audit/hooks';

export interface SyncIssueInput extends Pick<
  GatherInput,
  'cloudId' | 'siteUrl' | 'project' | 'issueId' | 'actor' | 'trigger' | 'deadline'
> {
  /** The account that asked (panel syncs). */
  by?: string;
  force?: boolean;
  /** Checks the caller makes on the gathered context before anything is pushed (throw to stop). */
  check?: (gathered: { document: ContextDocument; testTypes: { name: string; kind: string }[] }) => void;
}

export interface SyncIssueResult {
  outcome: Exclude<SyncOutcome, 'failed'>;
  document: ContextDocument;
  /** The project's Xray test types (read with the context). */
  testTypes: { name: string; kind: string }[];
  state: SyncState;
  requests: { jira: number; xray: number; sqai: number };
  durationMs: number;
}

/** A panel call's sync of its issue, acting as the caller (Jira shows SQAI only what they may see). */
export function syncAsCaller(
  platform: Platform,
  clients: ProjectClients,
  caller: IssueRef,
  options: Pick<SyncIssueInput, 'deadline' | 'force' | 'check'>,
): Promise<SyncIssueResult> {
  return syncIssue(platform, clients, {
    cloudId: caller.cloudId,
    siteUrl: caller.siteUrl,
    project: caller.project,
    issueId: caller.issue.id,
    actor: 'user',
    trigger: 'panel',
    by: caller.accountId,
    ...options,
  });
}

export async function syncIssue(
  platform: Platform,
  clients: ProjectClients,
  input: SyncIssueInput,
): Promise<SyncIssueResult> {
  const started = Date.now();
  const states = new SyncStateStore(platform.kvs);
  // The requirement's state, read beside the gather's reads (not after them): it also holds the
  // issue ids Xray named at the last send, which the gather asks Jira about (as the caller) at once.
  const previousRead = states.get(input.project.id, input.issueId);
  // Awaited below once the gather succeeded; a failed read must not also go unhandled.
  previousRead.catch(() => undefined);
  const gather = async (visibilityGuess: GatherInput['visibilityGuess']) => {
    try {
      const gathered = await gatherContext(
        { jira: platform.jira, xray: clients.xray, kvs: platform.kvs, log: platform.log },
        {
          cloudId: input.cloudId,
          siteUrl: input.siteUrl,
          project: input.project,
          issueId: input.issueId,
          actor: input.actor,
          trigger: input.trigger,
          settings: clients.settings,
          now: platform.clock.now(),
          ...(input.deadline ? { deadline: input.deadline } : {}),
          ...(input.actor === 'app' ? {} : { visibilityGuess }),
        },
      );
      return gathered;
    } catch (error) {
      passConsentThrough(error);
      // A user who cannot see the issue leaves no trace on it; any other failure is recorded.
      if (!hasCode(error, 'ISSUE_NOT_FOUND', 'JIRA_UNAUTHORIZED')) {
        await states.record(input.project.id, input.issueId, {
          trigger: input.trigger,
          ...(input.by ? { by: input.by } : {}),
          contentHash: '',
          at: platform.clock.now(),
          outcome: 'failed',
          error: toErrorDto(error),
          durationMs: Date.now() - started,
        });
      } else if (input.actor === 'app') {
        // Gone for the app itself (deleted, or no longer visible to it): SQAI forgets it too.
        await forgetIssue(platform, clients, input.cloudId, input.project.id, input.issueId);
      }
      throw error;
    }
  };
  let gathered = await gather(previousRead.then((state) => state?.namedIssueIds ?? []));
  // The project of the call comes from the Forge context; the issue's from Jira's answer
  // (`document.source.project` is only a copy of the call's). An issue of another project (moved,
  // or named by a stale or forged id) is refused before anything is pushed or recorded: its state
  // would land under this project, its context in this project's SQAI.
  if (gathered.issueProject.id !== input.project.id) {
    platform.log.warn('The issue is not in the project of the call; not synced', {
      projectId: input.project.id,
      issueId: input.issueId,
      issueProjectId: gathered.issueProject.id,
    });
    // Moved out of the project: what this project sent of it is forgotten, here and in SQAI.
    await forgetIssue(platform, clients, input.cloudId, input.project.id, input.issueId);
    throw new AppError('FORBIDDEN', {
      message: `Forbidden — this issue is not in project ${input.project.key}; the app syncs only issues of the project it is used in.`,
    });
  }
  input.check?.(gathered);
  // Issue 18: the criteria record the document's criteria ids came from, kept for the next sync —
  // once the request is accepted (a refused one changes nothing).
  await saveDocumentCriteria(platform.kvs, input.issueId, gathered.criteria);
  let { document } = gathered;
  const previous = await previousRead;
  // Criterion state for the workflow gate and JQL, alongside the push (it never fails the sync).
  const tracing = keepCriteriaState(platform, clients, gathered, {
    partial: input.actor !== 'app',
    contentChanged: previous?.contentHash !== gathered.document.contentHash,
    ...(input.deadline ? { deadline: input.deadline } : {}),
  });
  try {
    return await sendGathered();
  } finally {
    await tracing;
  }

  async function sendGathered(): Promise<SyncIssueResult> {
    // The audit trail (src/audit): one entry per send, whatever its outcome; it never fails the send.
    const audit = (outcome: string) =>
      auditSend(
        platform,
        input.project.id,
        document,
        input.actor === 'user'
          ? { kind: 'user', ...(input.by ? { accountId: input.by } : {}) }
          : { kind: 'schedule' },
        clients.settings.sqai.endpoint,
        outcome,
      );
    const attempt = () => ({
      trigger: input.trigger,
      ...(input.by ? { by: input.by } : {}),
      contentHash: document.contentHash,
      // Kept for the next send's visibility read (./state.ts VISIBILITY_GUESS_LIMIT).
      namedIssueIds: gathered.namedIssueIds,
    });

    if (!input.force && holdsContent(previous, document.contentHash, clients.settings.sqaiSince)) {
      const durationMs = Date.now() - started;
      const state = await states.record(input.project.id, input.issueId, {
        ...attempt(),
        at: platform.clock.now(),
        outcome: 'unchanged',
        durationMs,
      });
      await audit('unchanged');
      return {
        outcome: 'unchanged',
        document,
        testTypes: gathered.testTypes,
        state,
        requests: { ...gathered.requests, sqai: 0 },
        durationMs,
      };
    }

    let sqaiRequests = 1;
    let recorded = false;
    try {
      let written = await clients.sqai.putContext(
        input.cloudId,
        input.issueId,
        document,
        heldBySqai(previous, clients.settings.sqaiSince),
      );
      if (typeof written !== 'string') {
        // SQAI holds a version this app did not expect (another sync wrote first, or an earlier
        // answer was lost): read the issue again and write over exactly that version, once. The
        // version SQAI keeps is then always one read after the last one it accepted.
        const held: Held = written.current ? { contentHash: written.current } : 'nothing';
        gathered = await gather(gathered.namedIssueIds);
        input.check?.(gathered);
        await saveDocumentCriteria(platform.kvs, input.issueId, gathered.criteria);
        document = gathered.document;
        sqaiRequests += 1;
        written = await clients.sqai.putContext(input.cloudId, input.issueId, document, held);
        if (typeof written !== 'string') {
          await states.record(input.project.id, input.issueId, {
            ...attempt(),
            at: platform.clock.now(),
            outcome: 'failed',
            error: toErrorDto(conflictError(document.source.issueKey)),
            durationMs: Date.now() - started,
            sqaiHolds: written.current ?? null,
          });
          recorded = true;
          await audit('refused (precondition-failed)');
          throw conflictError(document.source.issueKey);
        }
      }
    } catch (error) {
      if (recorded) throw error;
      await states.record(input.project.id, input.issueId, {
        ...attempt(),
        at: platform.clock.now(),
        outcome: 'failed',
        error: toErrorDto(error),
        durationMs: Date.now() - started,
      });
      await audit(outcomeOfError(error));
      throw error;
    }
    const durationMs = Date.now() - started;
    const state = await states.record(input.project.id, input.issueId, {
      ...attempt(),
      at: platform.clock.now(),
      outcome: 'pushed',
      durationMs,
    });
    await audit('pushed');
    platform.log.info('Context pushed to SQAI', {
      projectId: input.project.id,
      issueKey: document.source.issueKey,
      trigger: input.trigger,
      bytes: JSON.stringify(document).length,
      durationMs,
    });
    return {
      outcome: 'pushed',
      document,
      testTypes: gathered.testTypes,
      state,
      requests: { ...gathered.requests, sqai: sqaiRequests },
      durationMs,
    };
  }
}

const conflictError = (issueKey: string) =>
  new AppError('SQAI_REJECTED', {
    message: `${issueKey} changed in SQAI while it was being sent (another sync wrote first); it is sent again with the next sync.`,
  });

/**
 * The issue is no longer this project's requirement for the app (deleted, moved out of the project,
 * or invisible to the app): `DELETE /v1/contexts/{cloudId}/{issueId}` when SQAI may hold it, and its
 * sync state goes. A failure is logged, not thrown: the next run tries again while the state is there.
 */
/**
 * Keeps the requirement's criterion state (src/criteria/sync-traceability.ts) from the gathered
 * document, with the covering tests' results in their Test Plans read when the content changed since
 * the last push (one Xray request per 8 plans; none when unchanged: the plan scopes kept stay), and
 * their latest runs in their newest Test Executions (from the runs gathered: no request).
 * Never throws.
 */
async function keepCriteriaState(
  platform: Platform,
  clients: ProjectClients,
  gathered: GatheredContext,
  options: { partial: boolean; contentChanged: boolean; deadline?: Deadline },
): Promise<void> {
  const planResults = options.contentChanged ? await planResultsFor(platform, clients, gathered) : undefined;
  await keepTraceability(platform, gathered.document, {
    ...(gathered.criteria ? { criteria: gathered.criteria.record } : {}),
    partial: options.partial,
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(planResults ? { planResults } : {}),
    executionResults: gathered.executionResults,
  });
}

/**
 * The covering tests' results in their Test Plans, for a requirement with criteria and results
 * included (the sync options); none otherwise. Undefined when the read failed (logged): the criterion
 * state then keeps its previous plan scopes until the next sync.
 */
async function planResultsFor(
  platform: Platform,
  clients: ProjectClients,
  gathered: GatheredContext,
): Promise<PlanResult[] | undefined> {
  const hasCriteria = (gathered.criteria?.criteria.length ?? 0) > 0;
  if (!hasCriteria || !clients.settings.sync.includeTestRuns) return [];
  try {
    const { plans } = await getPlanResults(clients.xray, gathered.planScopes);
    return resultsFor(gathered.planScopes, plans);
  } catch (error) {
    platform.log.warn('Could not read the Test Plan results; the next sync tries again', {
      code: toErrorDto(error).code,
    });
    return undefined;
  }
}

export async function forgetIssue(
  platform: Platform,
  clients: Pick<ProjectClients, 'sqai'>,
  cloudId: string,
  projectId: string,
  issueId: string,
): Promise<boolean> {
  const key = syncStateKey(projectId, issueId);
  if ((await platform.kvs.get(key)) === undefined) return false;
  try {
    await clients.sqai.deleteContext(cloudId, issueId);
  } catch (error) {
    platform.log.warn('Could not remove the issue from SQAI; the next sync tries again', {
      projectId,
      issueId,
      code: toErrorDto(error).code,
    });
    return false;
  }
  // Out of this project's acceptance-criteria ranking (the totals follow at the run's end).
  await dropFromRanking(platform.kvs, issueId, platform.clock.now(), projectId);
  await platform.kvs.delete(key);
  return true;
}
