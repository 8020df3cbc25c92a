/**
 * What leaves Jira (issue 20 items 4–5; docs/data-controls.md): the project admin's data controls
 * applied to a built context document, before it is hashed, previewed or sent — the one place every
 * document passes (the panel's read and send, the preview, the scheduled and backfill batches), so the
 * Preview shows exactly what is sent.
 *
 * - A source turned off is removed (its text never leaves; its structure where the contract needs it).
 * - A requirement field not on the allow-list is sent empty.
 * - Redaction: every string of the document but its identity (`schema`, `source`, the truncation
 *   lists) goes through one redactor, so a value keeps one placeholder across the whole document.
 * - The policy is in the document (`controls`): changing it changes the hash, and the next sync re-sends.
 *
 * Placeholders can be longer than what they replace: a string over its field's limit is cut with the
 * truncation marker, and a document over its byte cap loses its lowest-priority content first (linked
 * pages' and attachments' content, then linked issues) — the same order the size budget fills in.
 */
import type { DataControlsDto } from '../api';
import { createRedactor, redactDocumentStrings, redactionPolicyHash } from './redaction';
import type { ContextDocument } from './schema';

type Draft = Omit<ContextDocument, 'contentHash'>;

/** The identity of the document: never redacted (ids, keys, dates, the truncation pointers). */
const IDENTITY_KEYS = ['schema', 'source', 'truncated', 'omitted', 'controls', 'redactions'] as const;

function excludeSources(draft: Draft, controls: DataControlsDto): Draft {
  const on = controls.sources;
  const fields = new Set(controls.fields);
  const requirement = { ...draft.requirement };
  if (!on.description) {
    requirement.description = '';
    // Criteria are words of the description (or of the configured field): they stay in Jira too.
    delete requirement.criteria;
  }
  if (!on.peopleNames) {
    requirement.reporter = null;
    requirement.assignee = null;
  }
  if (!fields.has('status')) {
    requirement.status = null;
    requirement.statusCategory = null;
  }
  if (!fields.has('priority')) requirement.priority = null;
  if (!fields.has('labels')) requirement.labels = [];
  if (!fields.has('components')) requirement.components = [];
  if (!fields.has('fixVersions')) requirement.fixVersions = [];
  if (!fields.has('dates')) {
    requirement.created = null;
    requirement.updated = null;
  }
  if (!fields.has('url')) requirement.url = null;
  const tests = draft.xray.tests.map((test) => {
    const kept = { ...test };
    if (!on.testSteps) {
      delete kept.steps;
      delete kept.gherkin;
      delete kept.definition;
      kept.preconditions = kept.preconditions.map((precondition) => ({ ...precondition, definition: null }));
    }
    if (!on.testResults) kept.latestRun = null;
    return kept;
  });
  return {
    ...draft,
    requirement,
    linkedIssues: on.linkedIssues
      ? draft.linkedIssues
      : draft.linkedIssues.map((issue) => ({ ...issue, summary: '' })),
    ...(draft.linkedPages !== undefined ? { linkedPages: on.confluence ? draft.linkedPages : [] } : {}),
    ...(draft.attachments !== undefined ? { attachments: on.attachments ? draft.attachments : [] } : {}),
    xray: {
      ...draft.xray,
      tests,
      testExecutions: on.testResults
        ? draft.xray.testExecutions
        : draft.xray.testExecutions.map((execution) => ({ ...execution, statusCounts: {} })),
    },
  };
}

/** The sources turned off, in the contract's order (what `controls.excluded` says). */
export const excludedSources = (controls: DataControlsDto): string[] =>
  (Object.keys(controls.sources) as (keyof DataControlsDto['sources'])[]).filter(
    (source) => !controls.sources[source],
  );

/** The document as the controls let it leave Jira (pure). */
export function applyDataControls(draft: Draft, controls: DataControlsDto): Draft {
  const excluded = excludeSources(draft, controls);
  const redactor = createRedactor(controls.redaction);
  const redacted = { ...excluded } as Record<string, unknown>;
  for (const [key, value] of Object.entries(excluded)) {
    if ((IDENTITY_KEYS as readonly string[]).includes(key)) continue;
    redacted[key] = redactDocumentStrings(value, redactor);
  }
  const counts = Object.fromEntries(
    Object.entries(redactor.counts()).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0),
  );
  return {
    ...(redacted as Draft),
    controls: {
      excluded: excludedSources(controls),
      fields: [...controls.fields],
      redactionPolicy: redactionPolicyHash(controls.redaction),
    },
    redactions: counts,
  };
}
