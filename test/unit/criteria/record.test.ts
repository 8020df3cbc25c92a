/**
 * The stored criteria of a requirement from one reading to the next (src/criteria/record.ts), checked
 * against the record schema (src/criteria/schema.ts).
 */
import { findRequirementCriteria, updateCriteria } from '../../../src/criteria/record';
import { criteriaRecordSchema, MAX_CRITERION_TEXT, MAX_REMOVED } from '../../../src/criteria/schema';
import { KVS_MAX_VALUE_BYTES } from '../../../src/platform/limits';
import { bullets, doc, h } from '../../harness/fixtures/adf';

const T1 = '2026-12-01T10:00:00.000Z';
const T2 = '2026-12-02T10:00:00.000Z';
const T3 = '2026-12-03T10:00:00.000Z';
const section = (...items: string[]) => doc(h(2, 'Acceptance criteria'), bullets(...items));

describe('updateCriteria', () => {
  it('keeps ids and revisions through edits, counts wording changes and keeps removed ones', () => {
    const first = updateCriteria(
      undefined,
      findRequirementCriteria({
        description: section(
          'Guests can check out with an email address',
          'The receipt is sent within 2 minutes',
        ),
      }),
      T1,
    );
    expect(criteriaRecordSchema.parse(first.record)).toEqual(first.record);
    expect(first.record.criteria.map((c) => [c.revision, c.since])).toEqual([
      [1, T1],
      [1, T1],
    ]);
    const [guest, receipt] = first.record.criteria;

    const second = updateCriteria(
      first.record,
      findRequirementCriteria({
        description: section(
          'The receipt is sent within 5 minutes to the guest email address',
          'guests can check out with an email address.',
        ),
      }),
      T2,
    );
    expect(second.criteria).toEqual([
      {
        id: receipt?.id,
        text: 'The receipt is sent within 5 minutes to the guest email address',
        source: 'list',
        changed: true,
      },
      { id: guest?.id, text: 'guests can check out with an email address.', source: 'list' },
    ]);
    expect(second.record.criteria.map((c) => [c.id, c.revision, c.since])).toEqual([
      [receipt?.id, 2, T2],
      [guest?.id, 1, T1],
    ]);

    const third = updateCriteria(
      second.record,
      findRequirementCriteria({ description: section('Guests can check out with an email address') }),
      T3,
    );
    expect(third.removed).toEqual([
      {
        id: receipt?.id,
        text: 'The receipt is sent within 5 minutes to the guest email address',
        revision: 2,
        removedAt: T3,
      },
    ]);
    expect(criteriaRecordSchema.parse(third.record).removed).toHaveLength(1);

    // The removed criterion comes back: it gets its id (and revision) again and leaves `removed`.
    const fourth = updateCriteria(
      third.record,
      findRequirementCriteria({
        description: section(
          'Guests can check out with an email address',
          'The receipt is sent within 5 minutes to the guest email address',
        ),
      }),
      T3,
    );
    expect(fourth.record.criteria.map((c) => [c.id, c.revision])).toEqual([
      [guest?.id, 1],
      [receipt?.id, 2],
    ]);
    expect(fourth.record.removed).toEqual([]);
  });

  it('uses the configured field when it holds criteria, else the description', () => {
    const description = section('From the description');
    expect(findRequirementCriteria({ description, field: '- From the field' })).toEqual([
      { text: 'From the field', source: 'field' },
    ]);
    expect(findRequirementCriteria({ description, field: '' })).toEqual([
      { text: 'From the description', source: 'list' },
    ]);
  });

  it('keeps at most MAX_REMOVED removed criteria, newest first', () => {
    let record = updateCriteria(undefined, [], T1).record;
    for (let round = 0; round < MAX_REMOVED + 5; round += 1) {
      record = updateCriteria(
        record,
        [{ text: `Criterion${round} wording${round}`, source: 'list' }],
        T1,
      ).record;
      record = updateCriteria(record, [], T2).record;
    }
    expect(record.removed).toHaveLength(MAX_REMOVED);
    expect(record.removed[0]?.text).toBe(`Criterion${MAX_REMOVED + 4} wording${MAX_REMOVED + 4}`);
    expect(criteriaRecordSchema.safeParse(record).success).toBe(true);
  });
});

describe('criteriaRecordSchema', () => {
  it('refuses duplicate ids, bad ids and multi-line text', () => {
    const criterion = { id: 'ac-0123abcd', text: 'One', source: 'list', revision: 1, since: T1 };
    const base = { version: 1, updatedAt: T1, criteria: [criterion], removed: [] };
    expect(criteriaRecordSchema.safeParse(base).success).toBe(true);
    expect(criteriaRecordSchema.safeParse({ ...base, criteria: [criterion, criterion] }).success).toBe(false);
    expect(
      criteriaRecordSchema.safeParse({ ...base, criteria: [{ ...criterion, id: 'AC-1' }] }).success,
    ).toBe(false);
    expect(
      criteriaRecordSchema.safeParse({ ...base, criteria: [{ ...criterion, text: 'a\nb' }] }).success,
    ).toBe(false);
  });

  it('fits the largest record in one KVS value', () => {
    const text = '\u20ac'.repeat(MAX_CRITERION_TEXT); // 3 bytes each in UTF-8
    const criteria = Array.from({ length: 100 }, (_, index) => ({
      id: `ac-${index.toString(16).padStart(8, '0')}`,
      text,
      source: 'gherkin' as const,
      revision: 1_000_000,
      since: '2026-12-01T10:00:00.000+00:00',
    }));
    const removed = Array.from({ length: MAX_REMOVED }, (_, index) => ({
      id: `ac-${(index + 1000).toString(16).padStart(8, '0')}-9999`,
      text,
      revision: 1_000_000,
      removedAt: '2026-12-01T10:00:00.000+00:00',
    }));
    const record = criteriaRecordSchema.parse({
      version: 1,
      updatedAt: T1,
      inputHash: 'f'.repeat(64),
      criteria,
      removed,
    });
    expect(Buffer.byteLength(JSON.stringify(record), 'utf8')).toBeLessThan(KVS_MAX_VALUE_BYTES);
  });
});
