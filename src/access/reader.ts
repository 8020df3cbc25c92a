/**
 * Who reads an answer's errors, and whom they should ask. A reader who is not a project admin,
 * reading an error that sends them to one ("Ask a project admin to …"), is also told who leads the
 * project when Jira says: the project's `lead`, read as that user (Forge `asUser`), so Jira's
 * privacy rules decide the name they see. Jira is asked only then — an answer without such an
 * error, or read by a project admin, costs no request (the panels' hot path stays as it was).
 */
import { getProject } from '../clients/jira';
import { Deadline } from '../clients/upstream';
import { type AppError, asksAnAdmin, isAppError, type Reader } from '../errors';
import { passConsentThrough } from '../platform/forge-errors';
import type { Platform } from '../platform/ports';

/** At most this long for the lead's read: naming them is a courtesy, the answer must not wait. */
export const LEAD_BUDGET_MS = 3_000;

/** An error as it is worded for a reader (an AppError, or one stored as data). */
type Worded = Pick<AppError, 'code' | 'remedy'>;

/** Who reads, in which project (an issue panel's caller). */
export interface ReaderIn {
  accountId: string;
  project: { id: string };
}

/**
 * The display name of the caller's project's lead as the caller may see them; undefined when Jira
 * names no lead, names one who is deactivated, deleted or not a person, names the caller themself
 * (pointing someone to themself helps nobody), or does not answer in time (the wording then asks for
 * "a project admin" without a name). Only Forge's consent prompt passes.
 */
export async function projectLeadName(
  platform: Pick<Platform, 'jira' | 'log'>,
  caller: ReaderIn,
  deadline?: Deadline,
): Promise<string | undefined> {
  const budgetMs = Math.min(LEAD_BUDGET_MS, deadline?.remainingMs() ?? LEAD_BUDGET_MS);
  if (budgetMs <= 0) return undefined;
  try {
    const { lead } = await getProject(platform.jira, caller.project.id, {
      as: 'user',
      deadline: new Deadline(budgetMs),
    });
    if (!lead || lead.active === false || lead.accountId === caller.accountId) return undefined;
    if (lead.accountType !== undefined && lead.accountType !== 'atlassian') return undefined;
    return lead.displayName?.trim() || undefined;
  } catch (error) {
    passConsentThrough(error);
    platform.log.warn('Could not read the project lead; asking for a project admin without a name', {
      projectId: caller.project.id,
      code: isAppError(error) ? error.code : 'UNKNOWN',
    });
    return undefined;
  }
}

/**
 * `reader`, with the project lead named when one of `errors` sends them to a project admin (see
 * `asksAnAdmin`); `reader` itself, and no Jira request, otherwise.
 */
export async function readerNamingLead(
  platform: Pick<Platform, 'jira' | 'log'>,
  caller: ReaderIn,
  reader: Reader,
  errors: readonly Worded[],
  deadline?: Deadline,
): Promise<Reader> {
  if (reader.projectLead !== undefined || !errors.some((error) => asksAnAdmin(error, reader))) return reader;
  const lead = await projectLeadName(platform, caller, deadline);
  return lead ? { ...reader, projectLead: lead } : reader;
}

/** How an answer's stored errors are found and worded for a reader (src/generate/to-dto.ts). */
export interface StoredErrors<T> {
  errorsIn(answer: T): Worded[];
  wordedFor(answer: T, reader: Reader): T;
}

/**
 * Runs a use case whose answer `reader` (the caller) reads in their project: the errors stored in its answer
 * (`stored`) are worded for them, and an AppError it throws that sends them to a project admin
 * names the project lead (the resolver layer words every other thrown error for its reader).
 */
export async function answeredTo<T>(
  platform: Pick<Platform, 'jira' | 'log'>,
  caller: ReaderIn,
  reader: Reader,
  run: () => Promise<T>,
  stored?: StoredErrors<T>,
): Promise<T> {
  let answer: T;
  try {
    answer = await run();
  } catch (error) {
    if (!isAppError(error)) throw error;
    const named = await readerNamingLead(platform, caller, reader, [error]);
    throw named === reader ? error : error.wordedFor(named);
  }
  if (!stored) return answer;
  const named = await readerNamingLead(platform, caller, reader, stored.errorsIn(answer));
  return stored.wordedFor(answer, named);
}
