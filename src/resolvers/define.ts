/**
 * The one way to define a resolver: declare who may call it (`access`, decided from the Forge
 * context only) and its payload (zod), then call a use case. Authorization runs before the payload
 * is read; any failure maps to an ErrorDto. A resolver never throws to Forge (a thrown error would
 * reach the UI as an opaque failure), except Forge's own consent error, which Forge turns into its
 * "Allow access" prompt; it never returns a secret or a stack. The access rule also says who reads
 * the answer, and errors are worded for them (src/errors.ts: a configuration remedy for a project
 * admin, "ask a project admin" for anyone else).
 */
import { z } from 'zod';
import type { ResolverResult } from '../api';
import { type IssueAccess, requireIssueAccess } from '../access/authorize';
import { requireProjectAdmin } from '../access/project-admin';
import { AppError, isAppError, type Reader, toErrorDto } from '../errors';
import { fieldErrorsOf } from '../config/schema';
import { passConsentThrough } from '../platform/forge-errors';
import { platform } from '../platform/runtime';
import type { Platform } from '../platform/ports';
import { safeParse } from '../clients/safe-parse';
import { recordInteractiveUse } from '../clients/xray/rate-budget';
import type { IssueRef } from '../sync/issue-ref';
import { issueContextOf, projectContextOf, requireSite, type ProjectContext } from './context';

export interface ResolverRequest {
  payload?: unknown;
  context?: unknown;
}

/** The caller an access rule vouches for, and who reads the call's errors. */
export interface Vouched<Caller> {
  caller: Caller;
  reader: Reader;
  /**
   * A rule whose check is still running when the use case starts (`issueViewerBesideReads`): who
   * reads, once it answered. A failed call's error is worded for them (for an unknown reader if the
   * check refused).
   */
  readerOnceVouched?: Promise<Reader>;
}

/** Who may call a resolver: reads the Forge context, checks, and returns the caller it vouches for. */
export type Access<Caller> = (context: unknown, platform: Platform) => Promise<Vouched<Caller>>;

/**
 * Until access is decided the reader is not known to administer anything: a refused or failed
 * access check is worded for someone who must ask a project admin.
 */
const UNKNOWN_READER: Reader = { projectAdmin: false };

/** Administrators of the project whose settings page made the call. */
export const projectAdmin: Access<ProjectContext> = async (context, current) => {
  const caller = projectContextOf(context);
  await requireProjectAdmin(current, caller.project.id);
  return { caller, reader: { projectAdmin: true } };
};

/** Administrators of the project, on a call that names its site (work queued for the site needs it). */
export const projectAdminOnSite: Access<ProjectContext & { cloudId: string }> = async (context, current) => {
  const { caller, reader } = await projectAdmin(context, current);
  return { caller: { ...caller, cloudId: requireSite(caller.cloudId) }, reader };
};

/**
 * Anyone Jira lets see the issue whose panel made the call (asked of Jira as that user); the same
 * request tells whether they administer the project.
 */
export const issueViewer: Access<IssueRef> = async (context, current) => {
  const caller = issueContextOf(context);
  const access = await requireIssueAccess(current, caller.issue);
  return { caller, reader: { projectAdmin: access.projectAdmin } };
};

/**
 * `issueViewer`, with the check beside the use case's first reads instead of before them (the panel's
 * "Send to SQAI": one round trip less, issue 20). The caller carries the running check (`vouching`);
 * the use case reads only until it answered and writes nothing, sends nothing and answers nothing
 * before (src/sync/send-to-sqai.ts `readingUntil`). A refusal is the call's answer.
 */
export const issueViewerBesideReads: Access<IssueRef & { vouching: Promise<IssueAccess> }> = async (
  context,
  current,
) => {
  const caller = issueContextOf(context);
  const vouching = requireIssueAccess(current, caller.issue);
  return {
    caller: { ...caller, vouching },
    reader: UNKNOWN_READER,
    readerOnceVouched: vouching.then((access) => ({ projectAdmin: access.projectAdmin })),
  };
};

/** The payload of a resolver that takes none: anything sent is refused. */
export const emptyPayload = z.object({}).strict();

export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const parsed = safeParse(schema, payload ?? {});
  if (!parsed.success) throw new AppError('VALIDATION', { fieldErrors: fieldErrorsOf(parsed.error) });
  return parsed.data;
}

/** A resolver as Forge calls it, carrying the access rule it was declared with (tests walk them). */
export type DefinedResolver<T> = ((request: ResolverRequest) => Promise<ResolverResult<T>>) & {
  readonly access: Access<unknown>;
};

export function defineResolver<Caller, S extends z.ZodType, T>(
  name: string,
  spec: { access: Access<Caller>; payload: S },
  /** `reader`: for errors the answer carries as data (stored ones), see `errorFor` in src/errors.ts. */
  run: (caller: Caller, input: z.output<S>, platform: Platform, reader: Reader) => Promise<T>,
): DefinedResolver<T> {
  const resolve = async (request: ResolverRequest): Promise<ResolverResult<T>> => {
    const current = platform();
    let reader = UNKNOWN_READER;
    let readerOnceVouched: Promise<Reader> | undefined;
    try {
      const vouched = await spec.access(request.context, current);
      reader = vouched.reader;
      readerOnceVouched = vouched.readerOnceVouched;
      // Awaited below on every path; a refusal must not also surface as an unhandled rejection.
      readerOnceVouched?.catch(() => undefined);
      const { caller } = vouched;
      const input = parsePayload(spec.payload, request.payload);
      const data = await run(caller, input, current, reader);
      if (readerOnceVouched) await readerOnceVouched; // never answer before the check did
      return { ok: true, data };
    } catch (caught) {
      let error = caught;
      // A check still running when the use case failed: its refusal is the answer (before a payload
      // error or whatever the reads met, as when it runs first); else the error is worded for its reader.
      await readerOnceVouched?.then(
        (vouchedReader) => {
          reader = vouchedReader;
        },
        (refusal: unknown) => {
          error = refusal;
        },
      );
      // Forge's own "Allow access" prompt needs its error as it was thrown.
      passConsentThrough(error);
      if (!isAppError(error) || error.code === 'INTERNAL') {
        current.log.error('Resolver failed', {
          resolver: name,
          error,
          cause: isAppError(error) ? error.cause : undefined,
        });
      }
      return { ok: false, error: toErrorDto(error, reader) };
    } finally {
      await recordXrayUse(current);
    }
  };
  return Object.assign(resolve, { access: spec.access });
}

/** What this call spent of the site's Xray budget goes to the ledger; a failure to record is logged. */
async function recordXrayUse(current: Platform): Promise<void> {
  try {
    await recordInteractiveUse();
  } catch (error) {
    current.log.warn('Recording Xray usage failed', { code: isAppError(error) ? error.code : 'UNKNOWN' });
  }
}
