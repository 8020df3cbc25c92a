/**
 * Must hold (issue 20): across random documents with personal data planted in every source
 * (description, linked issues' summaries and comments, Confluence tables as Markdown, attachment
 * text, test steps), no planted value and no detector match survives redaction anywhere in the
 * JSON; placeholders are stable; a detector switched off leaves its kind. Every redacted document
 * is also handed to the suite-wide secret scan as a request to SQAI, with the planted values
 * registered (`secretScan.addPlanted`), so a survivor fails the test there too.
 */
import fc from 'fast-check';
import { REDACTION_KINDS, type RedactionKind } from '../../../../src/api';
import {
  createRedactor,
  defaultRedactionPolicy,
  PLACEHOLDER,
  redactDocumentStrings,
  type RedactionPolicy,
} from '../../../../src/context/redaction';
import { propertyConfig } from '../../../harness/property-seed';
import { secretScan } from '../../../harness/secret-scan';
import { anyPlanted, prose, type PlantedDocument } from './pii-fixtures';

interface Case {
  document: PlantedDocument;
  planted: { kind: RedactionKind; value: string }[];
}

const SOURCES = 5;

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(
    fc.array(anyPlanted, { minLength: SOURCES, maxLength: 16 }),
    fc.array(prose, { minLength: 8, maxLength: 8 }),
  )
  .map(([planted, texts]) => {
    const text = (index: number) => texts[index % texts.length] ?? '';
    const document: PlantedDocument = {
      requirement: { summary: text(0), description: text(1), reporter: 'Alice Smith' },
      linkedIssues: [],
      linkedPages: [],
      attachments: [],
      xray: { tests: [] },
    };
    planted.forEach(({ value }, index) => {
      switch (index % SOURCES) {
        case 0:
          document.requirement.description += `\n\n${text(index)} ${value} ${text(index + 1)}`;
          break;
        case 1:
          document.linkedIssues.push({
            key: `DEMO-${index}`,
            summary: `${text(index)} ${value}`,
            comments: [text(index + 2), `${value}\n${text(index + 3)}`],
          });
          break;
        case 2:
          document.linkedPages.push({
            title: `Spec ${index}`,
            markdown: `## ${text(index)}\n\n| Name | Contact |\n| --- | --- |\n| ${text(index + 1)} | ${value} |\n`,
          });
          break;
        case 3:
          document.attachments.push({
            filename: `notes-${index}.txt`,
            text: `${text(index)}\n${value}\n${text(index + 4)}`,
          });
          break;
        default:
          document.xray.tests.push({
            key: `DEMO-T${index}`,
            summary: text(index),
            steps: [{ action: `${text(index)} ${value}`, data: value, result: text(index + 5) }],
          });
      }
    });
    return { document, planted };
  });

function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value && typeof value === 'object')
    for (const inner of Object.values(value)) stringsOf(inner, into);
  return into;
}

function sendToSqai(document: unknown): void {
  secretScan.recordRequest('sqai', {
    method: 'PUT',
    url: 'https://sqai.example/v1/contexts/cloud/DEMO-1',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(document),
  });
}

describe('redaction properties', () => {
  test('no planted value and no detector match survives, in any source', () => {
    fc.assert(
      fc.property(caseArb, ({ document, planted }) => {
        secretScan.addPlanted(planted.map(({ value }) => value));
        const redactor = createRedactor(defaultRedactionPolicy);
        const out = redactDocumentStrings(document, redactor);
        const strings = stringsOf(out);
        for (const { value } of planted) expect(strings.some((text) => text.includes(value))).toBe(false);
        const fresh = createRedactor(defaultRedactionPolicy);
        for (const text of strings) expect(fresh.redact(text)).toBe(text);
        expect(fresh.counts()).toEqual({});
        const counted = Object.values(redactor.counts()).reduce((sum: number, n) => sum + (n ?? 0), 0);
        expect(counted).toBe(strings.join('\n').match(PLACEHOLDER)?.length ?? 0);
        sendToSqai(out);
      }),
      propertyConfig(process.env),
    );
  });

  test('placeholders are stable: the same value, the same placeholder, in every source; same document, same output', () => {
    fc.assert(
      fc.property(caseArb, ({ document, planted }) => {
        const redactor = createRedactor(defaultRedactionPolicy);
        const out = redactDocumentStrings(document, redactor);
        expect(redactDocumentStrings(document, createRedactor(defaultRedactionPolicy))).toEqual(out);
        const json = JSON.stringify(out);
        const before = JSON.stringify(redactor.counts());
        for (const { kind, value } of planted) {
          const placeholder = redactor.redact(value);
          // The value alone maps to the placeholder it got in the document.
          expect(placeholder).toMatch(new RegExp(`^\\[${kind}-\\d+\\]$`));
          expect(json).toContain(placeholder);
        }
        // Idempotent: the document redacted again by its own redactor is unchanged.
        expect(redactDocumentStrings(out, redactor)).toEqual(out);
        expect(JSON.stringify(redactor.counts())).not.toBe(before); // the lookups above were counted
      }),
      propertyConfig(process.env),
    );
  });

  test.each(REDACTION_KINDS)('a policy with %s off leaves that kind and redacts the others', (off) => {
    const policy: RedactionPolicy = {
      ...defaultRedactionPolicy,
      detectors: { ...defaultRedactionPolicy.detectors, [off]: false },
    };
    fc.assert(
      fc.property(caseArb, ({ document, planted }) => {
        const out = redactDocumentStrings(document, createRedactor(policy));
        const strings = stringsOf(out);
        const joined = strings.join('\n');
        expect(joined).not.toContain(`[${off}-`);
        for (const { kind, value } of planted) {
          const alone = createRedactor(policy).redact(value);
          if (kind === off && alone === value) expect(joined).toContain(value);
          if (kind !== off) expect(joined).not.toContain(value);
        }
      }),
      { ...propertyConfig(process.env), numRuns: 30 },
    );
  });
});
