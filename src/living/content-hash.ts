/**
 * Hashes of a test's content, for the apply of an accepted update (issue 19; docs/living-tests.md).
 * The *base* of a proposal is the content SQAI was shown, kept as one hash per step row (or one hash of
 * the Gherkin / definition text): enough to tell, row by row, whether Xray still holds what SQAI saw,
 * what the update wrote, or something a person changed since.
 *
 * A row is `[action, data ?? '', result ?? '']` in canonical JSON (RFC 8785, ../context/content-hash.ts)
 * so that a missing data/result and an empty one are the same row (Xray answers either for an empty
 * field). Line endings are normalised (CRLF / CR → LF): a browser may send either, and the text is the
 * same to a reader.
 */
import { createHash } from 'node:crypto';
import type { TestContentDto } from '../api';
import { canonicalJson } from '../context/content-hash';

export type TestKind = TestContentDto['kind'];

export interface StepRow {
  action: string | null | undefined;
  data?: string | null | undefined;
  result?: string | null | undefined;
}

/** What the apply knows of the content SQAI was shown: one hash per row, or the text's hash. */
export interface ContentBase {
  kind: TestKind;
  /** Steps: one `stepRowHash` per row, in order. */
  rows?: string[];
  /** Gherkin / Unstructured: `textHash` of the text. */
  text?: string;
}

const normalise = (text: string | null | undefined): string => (text ?? '').replace(/\r\n?/g, '\n');

const hash16 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** 16 hex of sha256 of the canonical JSON `[action, data ?? '', result ?? '']`. */
export function stepRowHash(step: StepRow): string {
  return hash16(canonicalJson([normalise(step.action), normalise(step.data), normalise(step.result)]));
}

/** 16 hex of sha256 of a Gherkin scenario or an unstructured definition (null = empty). */
export function textHash(text: string | null | undefined): string {
  return hash16(normalise(text));
}

/** The text of a content of a text kind ('' when absent; undefined for Steps). */
export function textOf(content: TestContentDto): string | undefined {
  if (content.kind === 'Gherkin') return content.gherkin ?? '';
  if (content.kind === 'Unstructured') return content.definition ?? '';
  return undefined;
}

/** The base to keep with a proposal: what SQAI was shown, as hashes. */
export function baseOf(content: TestContentDto): ContentBase {
  if (content.kind === 'Steps') {
    return { kind: 'Steps', rows: (content.steps ?? []).map((step) => stepRowHash(step)) };
  }
  return { kind: content.kind, text: textHash(textOf(content)) };
}
