/**
 * The requirement's Jira attachments, as the document's `attachments`: newest first, at most
 * `limits.attachments` listed. A text-like one — by its extension (`.feature .md .markdown .txt .csv
 * .json .yaml .yml`) or its MIME type (text/plain, text/markdown, text/csv, application/json,
 * application/yaml, text/x-gherkin …; Jira often says `application/octet-stream` for a `.feature`,
 * so either is enough) — has its content read, as the actor, when it is at most
 * `limits.attachmentBytes` (else `tooLarge`) and among the first `limits.attachmentsRead` text-like
 * ones (else `limit`); anything else is listed by name, type and size (`binary`). A `.feature` file is
 * read as Gherkin with the official parser (src/criteria/gherkin.ts, as acceptance criteria are) and
 * its scenario names are listed too.
 *
 * Reading (I/O) is `readAttachments`; building the entries (pure) is `attachmentEntries`.
 */
import { type AttachmentRead, type JiraAttachment, readAttachmentText } from '../clients/jira-issues';
import type { Deadline } from '../clients/upstream';
import { readScenarios } from '../criteria/gherkin';
import type { JiraActor, JiraTransport } from '../platform/ports';
import { at, type ContextLimits, entry, type Entry, type TruncationLog } from './limits';
import type { AttachmentEntry, AttachmentReason } from './schema';

const TEXT_EXTENSIONS = new Set(['feature', 'md', 'markdown', 'txt', 'csv', 'json', 'yaml', 'yml']);
const TEXT_MIME_TYPES = new Set([
  'text/plain',
  'text/markdown',
  'text/x-markdown',
  'text/csv',
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/x-gherkin',
  'text/x-feature',
]);

const extensionOf = (filename: string): string => {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
};

/** Whether an attachment is read as text (its extension or its MIME type says so). */
export function isTextLike(filename: string, mimeType: string | undefined): boolean {
  const mime = (mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return TEXT_EXTENSIONS.has(extensionOf(filename)) || TEXT_MIME_TYPES.has(mime);
}

export const isFeatureFile = (filename: string): boolean => extensionOf(filename) === 'feature';

/** An attachment of the requirement and whether its content is to be read. */
export interface AttachmentPlan {
  attachment: JiraAttachment;
  /** Why its content will not be read, or `null` when it will be. */
  reason: AttachmentReason | null;
}

/** An attachment and, when it was read, what Jira answered. */
export interface AttachmentInput {
  plan: AttachmentPlan;
  read: AttachmentRead | null;
}

const createdTime = (attachment: JiraAttachment): number => {
  const time = Date.parse((attachment.created ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? 0 : time;
};

/** Newest first, at most `limits.attachments`, each with whether its content is read. */
export function planAttachments(
  attachments: readonly JiraAttachment[],
  limits: ContextLimits,
): { plans: AttachmentPlan[]; leftOut: number } {
  const sorted = [...attachments].sort((a, b) => createdTime(b) - createdTime(a));
  const listed = sorted.slice(0, limits.attachments);
  let toRead = 0;
  const plans = listed.map((attachment): AttachmentPlan => {
    if (!isTextLike(attachment.filename, attachment.mimeType)) return { attachment, reason: 'binary' };
    if ((attachment.size ?? 0) > limits.attachmentBytes) return { attachment, reason: 'tooLarge' };
    if (toRead >= limits.attachmentsRead) return { attachment, reason: 'limit' };
    toRead += 1;
    return { attachment, reason: null };
  });
  return { plans, leftOut: sorted.length - listed.length };
}

/**
 * Reads every attachment `plans` says to read, all at once, as `as`: attachment id → answer. Never
 * fails for an attachment.
 */
export async function readAttachments(
  jira: JiraTransport,
  plans: readonly AttachmentPlan[],
  options: { as: JiraActor; deadline?: Deadline },
  limits: ContextLimits,
): Promise<Map<string, AttachmentRead>> {
  const reads = await Promise.all(
    plans
      .filter((plan) => plan.reason === null)
      .map(async (plan): Promise<[string, AttachmentRead]> => [
        plan.attachment.id,
        // Characters are at most bytes: a text over the byte cap in characters is over it in bytes.
        await readAttachmentText(jira, plan.attachment.id, options, limits.attachmentBytes),
      ]),
  );
  return new Map(reads);
}

/** Each attachment with what was read of it (one to read that has no answer: `unavailable`). */
export function withAttachmentReads(
  plans: readonly AttachmentPlan[],
  reads: ReadonlyMap<string, AttachmentRead> | undefined,
): AttachmentInput[] {
  return plans.map((plan) => ({
    plan,
    read:
      plan.reason !== null ? null : (reads?.get(plan.attachment.id) ?? { ok: false, reason: 'unavailable' }),
  }));
}

/** One attachment of the document: whole, or listed without its content to fit. */
export interface AttachmentCandidate {
  full: Entry<AttachmentEntry>;
  listed: () => Entry<AttachmentEntry>;
}

/** The document's `attachments`, each as a candidate for the size budget (./fit.ts). */
export function attachmentEntries(
  inputs: readonly AttachmentInput[],
  limits: ContextLimits,
  log: TruncationLog,
): AttachmentCandidate[] {
  return inputs.map(({ plan, read }) => {
    const { attachment } = plan;
    const key = attachment.id;
    const text = read?.ok ? read.text : null;
    const reason: AttachmentReason | null = read && !read.ok ? read.reason : plan.reason;
    const scenarios =
      text !== null && isFeatureFile(attachment.filename)
        ? readScenarios(text).map((scenario) => scenario.name || (scenario.lines[0] ?? ''))
        : undefined;
    const build = (withContent: boolean) =>
      entry(log, (own) => {
        const name = (field: string, value: string | null | undefined) =>
          own.nullableText(at(`attachments.*.${field}`, key), value ?? null, limits.nameChars);
        const value: AttachmentEntry = {
          id: name('id', attachment.id) ?? '',
          filename: name('filename', attachment.filename) ?? '',
          mimeType: name('mimeType', attachment.mimeType),
          size: attachment.size ?? 0,
          created: name('created', normalizeTime(attachment.created)),
          content:
            withContent && text !== null
              ? own.text(at('attachments.*.content', key), text, limits.attachmentChars)
              : null,
          reason: text === null ? reason : withContent ? null : 'budget',
        };
        if (text !== null && !withContent) {
          own.add(at('attachments.*.content', key));
          own.count('attachments.content', 1);
        }
        if (scenarios !== undefined) {
          value.scenarios = own
            .capped(at('attachments.*.scenarios', key), scenarios, limits.scenariosPerAttachment)
            .map((scenario, index) =>
              own.text(at('attachments.*.scenarios.*', key, index), scenario, limits.nameChars),
            );
        }
        return value;
      });
    return { full: build(true), listed: () => build(false) };
  });
}

/** Jira's `2026-11-25T10:00:00.000+0000` → ISO 8601 (UTC); other values unchanged. */
function normalizeTime(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}
