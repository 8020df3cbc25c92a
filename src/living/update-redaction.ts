/**
 * The redaction round trip of the update mode (issue 20 "Redaction" × issue 19; docs/data-controls.md
 * "Updates and redaction", docs/living-tests.md "Proposed updates").
 *
 * **Sent redacted.** The stale tests' content and the changed criteria's wording go to SQAI through
 * one redactor for the ask (`UpdateRedaction`), so a value keeps one placeholder across the ask and
 * nothing the project's policy redacts leaves Jira. The context document of the same generation was
 * redacted by its own redactor while it was built (src/context/data-controls.ts, which does not hand
 * its values out); so that no placeholder can mean two things to SQAI, the ask's placeholders are
 * numbered after every placeholder-shaped text of the document and of the content itself
 * (`[email-1]` in the document, `[email-2]` in the ask: never the same number for two values).
 *
 * **The map.** Each placeholder the ask issued, with the text it replaced, is kept with the test's
 * update item (src/living/update-store.ts `redaction`): Jira content the caller can see, kept in the
 * app's own storage only — never logged, sent, audited, or returned as a map.
 *
 * **Restored when SQAI's answer is recorded** (src/living/accept-updates.ts): every placeholder of
 * the proposed content is replaced by its value, so the reviewer's diff and the apply show and write
 * real values. A placeholder of a redaction kind the ask did not issue (`[email-7]`, or one of the
 * context document's) makes the item unusable (`unknownPlaceholder`): its content is not kept and
 * nothing of it can be written. Placeholder-shaped text that was in the test or the criteria as
 * people wrote it (`[email-1]` typed into a step) is text like any other and stays as it is.
 */
import { REDACTION_KINDS } from '../api';
import { createRedactor, PLACEHOLDER, type RedactionPolicy } from '../context/redaction';
import type { TestContent } from './update-store';

/** What an update item keeps to undo the ask's redaction (stored with the item; never shown). */
export interface StoredRedaction {
  /** Each placeholder the ask issued that this item's request named, with the text it replaced. */
  placeholders: Record<string, string>;
  /** The placeholder kinds: every built-in one, and the policy's custom patterns. */
  kinds: string[];
  /** Placeholder-shaped texts people wrote into what was sent (kept as they are). */
  kept: string[];
}

/** The kind of a placeholder-shaped text: `[customer-id-3]` → `customer-id`. */
export const kindOfPlaceholder = (token: string): string => token.slice(1, token.lastIndexOf('-'));

const numberOfPlaceholder = (token: string): number =>
  Number.parseInt(token.slice(token.lastIndexOf('-') + 1, -1), 10);

const tokensOf = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((match) => match[0]);

/** The strings of a test's content, in order. */
export function textsOfContent(content: TestContent): string[] {
  if (content.kind === 'Steps')
    return content.steps.flatMap((step) => [step.action, step.data ?? '', step.result ?? '']);
  return [content.kind === 'Gherkin' ? content.gherkin : content.definition];
}

/** `content` with each of its strings passed through `map`. */
export function mapContent(content: TestContent, map: (text: string) => string): TestContent {
  switch (content.kind) {
    case 'Steps':
      return {
        kind: 'Steps',
        steps: content.steps.map((step) => ({
          action: map(step.action),
          data: step.data === null ? null : map(step.data),
          result: step.result === null ? null : map(step.result),
        })),
      };
    case 'Gherkin':
      return { kind: 'Gherkin', gherkin: map(content.gherkin) };
    case 'Unstructured':
      return { kind: 'Unstructured', definition: map(content.definition) };
  }
}

/** One ask's redactor, and what it issued. */
export class UpdateRedaction {
  private readonly issued = new Map<string, string>();
  private readonly redactor;
  readonly kinds: string[];
  /** Placeholder-shaped texts of redaction kinds in the originals (people's own words). */
  readonly kept: string[];

  /**
   * `taken`: texts whose placeholder-shaped parts the ask's numbering must stay clear of — the
   * context document as sent (its placeholders) and the originals the ask will redact.
   */
  constructor(policy: RedactionPolicy, taken: { document: string; originals: readonly string[] }) {
    // Every built-in kind, on or off: a placeholder SQAI makes up is never written as if it were text.
    this.kinds = [...REDACTION_KINDS, ...policy.customPatterns.map((custom) => custom.name)];
    const kinds = new Set(this.kinds);
    const after: Record<string, number> = {};
    const kept = new Set<string>();
    const note = (token: string, literal: boolean) => {
      const kind = kindOfPlaceholder(token);
      if (!kinds.has(kind)) return;
      after[kind] = Math.max(after[kind] ?? 0, numberOfPlaceholder(token));
      if (literal) kept.add(token);
    };
    for (const token of tokensOf(taken.document)) note(token, false);
    for (const text of taken.originals) for (const token of tokensOf(text)) note(token, true);
    this.kept = [...kept];
    this.redactor = createRedactor(policy, {
      after,
      onPlaceholder: (placeholder, original) => {
        this.issued.set(placeholder, original);
      },
    });
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  redactContent(content: TestContent): TestContent {
    return mapContent(content, (text) => this.redact(text));
  }

  /** What an item keeps: the issued placeholders found in `sent` (the texts its request named). */
  storedFor(sent: readonly string[]): StoredRedaction {
    const placeholders: Record<string, string> = {};
    for (const text of sent)
      for (const token of tokensOf(text)) {
        const original = this.issued.get(token);
        if (original !== undefined) placeholders[token] = original;
      }
    return { placeholders, kinds: [...this.kinds], kept: [...this.kept] };
  }
}

/** Restoring an answer: the texts with real values, or the first placeholder the ask did not issue. */
export class Restorer {
  private readonly values = new Map<string, string>();
  private readonly kinds = new Set<string>();
  private readonly kept = new Set<string>();

  /** From the items of one generation (a placeholder issued for any of them restores in each). */
  constructor(stored: readonly (StoredRedaction | undefined)[]) {
    for (const redaction of stored) {
      if (!redaction) continue;
      for (const [token, value] of Object.entries(redaction.placeholders)) this.values.set(token, value);
      for (const kind of redaction.kinds) this.kinds.add(kind);
      for (const token of redaction.kept) this.kept.add(token);
    }
  }

  /** `text` with every issued placeholder replaced (an unknown one is left as it is). */
  restore(text: string): string {
    return text.replace(PLACEHOLDER, (token) => this.values.get(token) ?? token);
  }

  /** The first placeholder of a redaction kind in `texts` that the ask did not issue, if any. */
  unknownIn(texts: readonly string[]): string | undefined {
    for (const text of texts)
      for (const token of tokensOf(text)) {
        if (this.values.has(token) || this.kept.has(token)) continue;
        if (this.kinds.has(kindOfPlaceholder(token))) return token;
      }
    return undefined;
  }

  /** The content restored, or the placeholder that stops it. */
  restoreContent(content: TestContent): { content: TestContent } | { unknown: string } {
    const unknown = this.unknownIn(textsOfContent(content));
    if (unknown !== undefined) return { unknown };
    return { content: mapContent(content, (text) => this.restore(text)) };
  }
}
