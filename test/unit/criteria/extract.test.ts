/**
 * Acceptance criteria found in realistic Jira descriptions (issue 18, item 1; docs/criteria.md): lists
 * and nested lists under headings, panels and expands named like "Acceptance criteria", tables of
 * criteria, Gherkin code blocks and Given/When/Then paragraphs, a configured field, and descriptions
 * without criteria.
 */
import { findCriteria, findCriteriaInField, isCriteriaTitle, titleKey } from '../../../src/criteria/extract';
import { MAX_CRITERIA, MAX_CRITERION_TEXT } from '../../../src/criteria/schema';
import {
  acceptanceCriteria,
  bullets,
  code,
  codeBlock,
  date,
  doc,
  em,
  emoji,
  example,
  expand,
  h,
  hardBreak,
  inlineCard,
  link,
  mention,
  numbered,
  p,
  panel,
  rule,
  status,
  strong,
  table,
  tasks,
} from '../../harness/fixtures/adf';
import { REQUIREMENTS } from '../../harness/fixtures/demo-requirements';

const texts = (description: unknown) => findCriteria(description).map((criterion) => criterion.text);

function demo(summary: string) {
  const requirement = REQUIREMENTS.find((candidate) => candidate.summary === summary);
  if (requirement === undefined) throw new Error(`no demo requirement "${summary}"`);
  return requirement.description;
}

describe('criteria in the demo requirements', () => {
  it('reads the acceptance-criteria list and the Given/When/Then example of guest checkout', () => {
    expect(findCriteria(demo('Guest checkout with email receipt'))).toEqual([
      { source: 'list', text: 'The checkout offers "Continue as guest" next to "Sign in"' },
      {
        source: 'list',
        text: 'A guest must enter a valid email address before choosing a payment method',
      },
      { source: 'list', text: 'After payment the guest receives an email receipt within 2 minutes' },
      { source: 'list', text: 'The receipt lists every item, the delivery address and the order number' },
      {
        source: 'gherkin',
        text:
          'receipt for a guest order: Given a guest with the email "sam@example.com" and 2 items in the basket ' +
          'When the guest pays successfully Then an email receipt is sent to "sam@example.com" ' +
          'And the receipt shows the order number',
      },
    ]);
  });

  it('leaves out a data table and a second (numbered) list that follow the criteria list', () => {
    expect(findCriteria(demo('Apply a discount code at checkout')).map((c) => c.source)).toEqual([
      'list',
      'list',
      'list',
      'gherkin',
    ]);
    expect(texts(demo('Start a return from the order history'))).toEqual([
      'Items delivered in the last 30 days show a "Return" button',
      'The shopper picks a reason and gets a printable label and a QR code',
      'The refund is issued when the carrier scans the parcel',
    ]);
  });

  it('finds criteria in every demo story and none in the epics', () => {
    const stories = REQUIREMENTS.filter((requirement) => requirement.type === 'Story');
    for (const story of stories) expect(findCriteria(story.description).length).toBeGreaterThan(0);
    for (const epic of REQUIREMENTS.filter((requirement) => requirement.type === 'Epic')) {
      expect(findCriteria(epic.description)).toEqual([]);
    }
  });
});

describe('lists under a criteria heading', () => {
  it('takes bullet and numbered items, with marks, links, mentions, emoji, dates and status kept as words', () => {
    const description = doc(
      p('As a shopper I want to pay with a saved card.'),
      h(2, 'Acceptance Criteria'),
      bullets(
        [strong('Saved cards'), ' are listed with ', em('brand'), ' and ', code('last4')],
        ['Questions go to ', mention('po-1', 'Priya Product'), ' ', emoji(':tada:', '🎉')],
        [
          'See ',
          link('the provider docs', 'https://docs.example.com/cards'),
          ' and ',
          inlineCard('https://x.example/a'),
        ],
        ['Ships on ', date('2026-11-30'), ' as ', status('Beta', 'blue')],
        ['Line one', hardBreak(), 'line   two'],
      ),
      h(2, 'Notes'),
      bullets('Not a criterion'),
    );
    expect(texts(description)).toEqual([
      'Saved cards are listed with brand and last4',
      'Questions go to @Priya Product 🎉',
      'See the provider docs and https://x.example/a',
      'Ships on 2026-11-30 as Beta',
      'Line one line two',
    ]);
  });

  it('makes each nested item a criterion of its own, after its parent’s words', () => {
    const description = doc(
      h(3, 'Acceptance criteria'),
      numbered(
        'A shopper can pay by card',
        [
          p('Payment errors:'),
          bullets('Declined cards show "Your bank declined the payment"', 'Expired cards cannot be selected'),
        ],
        [p('Receipts'), bullets([p('Email'), bullets('Sent within 2 minutes')], 'PDF download')],
      ),
    );
    expect(texts(description)).toEqual([
      'A shopper can pay by card',
      'Payment errors: Declined cards show "Your bank declined the payment"',
      'Payment errors: Expired cards cannot be selected',
      'Receipts — Email — Sent within 2 minutes',
      'Receipts — PDF download',
    ]);
  });

  it('reads a task list under "Definition of done", nested tasks under their parent', () => {
    const nested = tasks(['Docs updated', false], ['Release notes', false]);
    const list = tasks(['Code reviewed', true], ['Feature flag removed', false]);
    const description = doc(h(3, 'Definition of done'), {
      ...list,
      content: [...(list.content ?? []), nested],
    });
    expect(texts(description)).toEqual([
      'Code reviewed',
      'Feature flag removed — Docs updated',
      'Feature flag removed — Release notes',
    ]);
  });

  it('recognises the usual ways of naming the section, and no other', () => {
    for (const title of [
      'Acceptance criteria',
      'ACCEPTANCE CRITERIA:',
      'Acceptance Criterion',
      'AC',
      'AC:',
      'ACs',
      'Acceptance criteria (MVP)',
      '✅ Definition of Done',
      '3. Acceptance criteria',
      'DoD',
    ]) {
      expect([
        title,
        isCriteriaTitle(title, [
          'acceptance criteria',
          'acceptance criterion',
          'ac',
          'acs',
          'definition of done',
          'dod',
        ]),
      ]).toEqual([title, true]);
      expect(texts(doc(h(2, title), bullets('The total is shown')))).toEqual(['The total is shown']);
    }
    for (const title of ['Acceptance tests', 'Access control', 'Context', 'Abstract', 'ACL']) {
      expect(texts(doc(h(2, title), bullets('Not a criterion')))).toEqual([]);
    }
    expect(titleKey('  ✅ 2.1 Acceptance — Criteria: ')).toBe('acceptance criteria');
  });

  it('uses configured section names instead of the default ones', () => {
    const description = doc(
      h(2, 'Done when'),
      bullets('Orders sync hourly'),
      h(2, 'Acceptance criteria'),
      bullets('x'),
    );
    expect(findCriteria(description, { titles: ['Done when'] })).toEqual([
      { source: 'list', text: 'Orders sync hourly' },
    ]);
  });

  it('ends a section at a heading of the same level, a rule or a bold "Label:", not at a subheading', () => {
    const description = doc(
      h(2, 'Acceptance criteria'),
      h(3, 'Happy path'),
      bullets('Order is placed'),
      h(3, 'Errors'),
      bullets('A declined card is reported'),
      h(2, 'Design'),
      bullets('Figma link'),
      h(2, 'AC'),
      bullets('After rule one'),
      rule(),
      bullets('After rule two'),
      h(2, 'AC'),
      bullets('Before notes'),
      p(strong('Notes:')),
      bullets('A note'),
    );
    expect(texts(description)).toEqual([
      'Order is placed',
      'A declined card is reported',
      'After rule one',
      'Before notes',
    ]);
  });

  it('reads a bold "Acceptance criteria:" paragraph followed by a list, but not the lists after other text', () => {
    const description = doc(
      p('The shopper can reorder a past order.'),
      p(strong('Acceptance criteria:')),
      bullets(
        'A "Reorder" button is shown on delivered orders',
        'Out-of-stock items are left out with a notice',
      ),
      p('Technical notes follow.'),
      bullets('Use the basket API'),
      p('Acceptance criterion: the paragraph ends with a colon but says more, so it is not a label.'),
      bullets('Not a criterion either'),
    );
    expect(texts(description)).toEqual([
      'A "Reorder" button is shown on delivered orders',
      'Out-of-stock items are left out with a notice',
    ]);
  });
});

describe('panels and expands', () => {
  it('reads a panel that starts with a criteria heading or label', () => {
    const description = doc(
      panel('success', h(4, 'Acceptance criteria'), bullets('Coupons stack with gift cards')),
      panel('info', p(strong('AC')), bullets('Gift cards show their balance')),
      panel('note', p('Gift cards expire after 3 years.'), bullets('Not a criterion')),
    );
    expect(texts(description)).toEqual(['Coupons stack with gift cards', 'Gift cards show their balance']);
  });

  it('reads an expand titled like the section, and lists in a panel inside a section', () => {
    const description = doc(
      expand('Acceptance criteria', bullets('Export is UTF-8 with a BOM'), numbered('Dates are ISO 8601')),
      expand('Implementation notes', bullets('Not a criterion')),
      h(2, 'Definition of done'),
      panel('info', bullets('Reviewed by QA')),
    );
    // An expand is a section of its own: its first list holds the criteria.
    expect(texts(description)).toEqual(['Export is UTF-8 with a BOM', 'Reviewed by QA']);
  });
});

describe('tables of criteria', () => {
  it('reads one criterion per body row, leaving out the header row and numbering cells', () => {
    const description = doc(
      h(2, 'Acceptance criteria'),
      table(
        ['#', 'Criterion'],
        ['1', 'The total includes VAT'],
        ['AC-2', 'Prices show two decimals'],
        ['3', ''],
      ),
    );
    expect(findCriteria(description)).toEqual([
      { source: 'table', text: 'The total includes VAT' },
      { source: 'table', text: 'Prices show two decimals' },
    ]);
  });

  it('reads Given/When/Then columns as one step line per row, other columns left out', () => {
    const description = doc(
      h(2, 'AC'),
      table(
        ['ID', 'Given', 'When', 'Then', 'Owner'],
        ['AC1', 'a basket of 80 EUR', 'the code SAVE10 is applied', 'the total is 72 EUR', 'Priya'],
        ['AC2', 'an expired code', 'it is applied', 'Then it is refused', 'Priya'],
      ),
    );
    expect(texts(description)).toEqual([
      'Given a basket of 80 EUR When the code SAVE10 is applied Then the total is 72 EUR',
      'Given an expired code When it is applied Then it is refused',
    ]);
  });

  it('reads a table without a header row, and skips a data table with other headings', () => {
    const headerless = {
      type: 'table',
      content: [
        { type: 'tableRow', content: [{ type: 'tableCell', content: [p('Search answers in 300 ms')] }] },
        {
          type: 'tableRow',
          content: [{ type: 'tableCell', content: [p('Suggestions after 2 characters')] }],
        },
      ],
    };
    expect(texts(doc(h(2, 'Acceptance criteria'), headerless))).toEqual([
      'Search answers in 300 ms',
      'Suggestions after 2 characters',
    ]);
    const data = table(['Code', 'Type', 'Value'], ['WELCOME10', 'percent', '10 %']);
    expect(texts(doc(h(2, 'Acceptance criteria'), data))).toEqual([]);
    // Outside a section a table of criteria is just a table.
    expect(texts(doc(h(2, 'Context'), table(['Criterion'], ['Not a criterion'])))).toEqual([]);
  });
});

describe('Given/When/Then', () => {
  it('makes each Scenario, Scenario Outline and Rule scenario of a gherkin code block a criterion', () => {
    const gherkin = [
      'Feature: Discount codes',
      '',
      '  Background:',
      '    Given the promotions service is up',
      '',
      '  Scenario: Valid code',
      '    Given a basket worth 80.00 EUR',
      '    When the shopper applies "SAVE10"',
      '    Then the total is 72.00 EUR',
      '',
      '  Scenario Outline: Expired codes',
      '    Given the code "<code>" expired on <date>',
      '    When the shopper applies it',
      '    Then the message "This code has expired" is shown',
      '    Examples:',
      '      | code   | date       |',
      '      | BF2025 | 2025-11-30 |',
      '',
      '  Rule: one code per order',
      '    Scenario: Second code',
      '      Given a basket with the code "SAVE10"',
      '      When the shopper applies "SHIP0"',
      '      Then "SHIP0" replaces "SAVE10" after confirmation',
    ].join('\n');
    expect(findCriteria(doc(h(2, 'Scenarios'), codeBlock('gherkin', gherkin)))).toEqual([
      {
        source: 'gherkin',
        text: 'Valid code: Given a basket worth 80.00 EUR When the shopper applies "SAVE10" Then the total is 72.00 EUR',
      },
      {
        source: 'gherkin',
        text:
          'Expired codes: Given the code "<code>" expired on <date> When the shopper applies it ' +
          'Then the message "This code has expired" is shown Examples: | code | date | | BF2025 | 2025-11-30 |',
      },
      {
        source: 'gherkin',
        text: 'Second code: Given a basket with the code "SAVE10" When the shopper applies "SHIP0" Then "SHIP0" replaces "SAVE10" after confirmation',
      },
    ]);
  });

  it('reads cucumber and feature blocks and bare steps, one scenario per Given…Then group', () => {
    const bare =
      'Given a guest\nWhen the guest pays\nThen a receipt is sent\nGiven a member\nWhen the member pays\nThen points are added';
    expect(texts(doc(codeBlock('cucumber', bare)))).toEqual([
      'Given a guest When the guest pays Then a receipt is sent',
      'Given a member When the member pays Then points are added',
    ]);
    expect(texts(doc(codeBlock('Feature', 'Scenario: x\n  Given a\n  Then b')))).toEqual([
      'x: Given a Then b',
    ]);
    // Other languages are code, not criteria.
    expect(texts(doc(codeBlock('typescript', 'Given a\nThen b')))).toEqual([]);
  });

  it('still reads a gherkin block the parser refuses, scenario by scenario', () => {
    const broken =
      'Scenario: Refund\n  Given a returned parcel\n  the carrier scanned it\n  Then the refund is issued';
    expect(texts(doc(codeBlock('gherkin', broken)))).toEqual([
      'Refund: Given a returned parcel the carrier scanned it Then the refund is issued',
    ]);
  });

  it('reads Given/When/Then paragraphs anywhere, named by a Scenario/Example line', () => {
    const description = doc(
      p('Shoppers can save their basket.'),
      ...example(
        'Example: restore a saved basket',
        'Given a saved basket',
        'When the shopper signs in',
        'Then the basket is restored',
      ),
      p('Given two devices'),
      p('When the basket changes on one'),
      p('Then the other shows the change'),
      p('When we launched the beta, traffic doubled.'),
      p('Caching is out of scope.'),
      p('Given the current volume, no cache is needed.'),
    );
    expect(findCriteria(description)).toEqual([
      {
        source: 'gherkin',
        text: 'restore a saved basket: Given a saved basket When the shopper signs in Then the basket is restored',
      },
      {
        source: 'gherkin',
        text: 'Given two devices When the basket changes on one Then the other shows the change',
      },
    ]);
  });

  it('reads one-line scenarios that say "then"', () => {
    expect(texts(doc(p('When the shopper pays with PayPal, then the order is confirmed.')))).toEqual([
      'When the shopper pays with PayPal, then the order is confirmed.',
    ]);
  });
});

describe('descriptions without criteria', () => {
  it('finds nothing in prose, other lists, tables and code', () => {
    const description = doc(
      h(2, 'Context'),
      p('We want faster checkout.'),
      bullets('Reduce clicks', 'Fewer fields'),
      table(['Metric', 'Goal'], ['Conversion', '+2 %']),
      codeBlock('json', '{ "a": 1 }'),
      panel('warning', p('Never store the CVC.')),
    );
    expect(findCriteria(description)).toEqual([]);
  });

  it('answers [] for input that is not a document, and never throws on odd shapes', () => {
    for (const value of [
      undefined,
      null,
      42,
      'plain text',
      [],
      {},
      { type: 'doc' },
      { type: 'doc', content: 'x' },
    ]) {
      expect(findCriteria(value)).toEqual([]);
    }
    const odd: unknown = {
      type: 'doc',
      content: [
        h(2, 'AC'),
        { type: 'bulletList', content: [null, 7, { type: 'listItem', content: [p('Kept')] }, 'text'] },
      ],
    };
    expect(texts(odd)).toEqual(['Kept']);
  });

  it('stays bounded: deep nesting, many items, long text', () => {
    let deep: Record<string, unknown> = { type: 'listItem', content: [p('Deepest')] };
    for (let index = 0; index < 5_000; index += 1) {
      deep = { type: 'listItem', content: [p(`level ${index}`), { type: 'bulletList', content: [deep] }] };
    }
    const nested = { type: 'doc', content: [h(2, 'AC'), { type: 'bulletList', content: [deep] }] };
    // The walk stops at its depth bound (items deeper than it are not read) and nothing throws.
    expect(texts(nested)).toEqual([]);

    const many = Array.from({ length: MAX_CRITERIA + 50 }, (_, index) => `Criterion ${index}`);
    expect(findCriteria(doc(h(2, 'AC'), bullets(...many)))).toHaveLength(MAX_CRITERIA);

    const [long] = texts(doc(h(2, 'AC'), bullets(`${'word '.repeat(200)}🎉🎉`)));
    expect(long?.length).toBeLessThanOrEqual(MAX_CRITERION_TEXT);
    expect(long?.endsWith('…')).toBe(true);
  });
});

describe('a configured field', () => {
  it('reads a plain string line by line, dropping list markers and a label line', () => {
    const value = [
      'Acceptance criteria:',
      '- The total includes VAT',
      '* Prices show two decimals',
      '1. Currency follows the shop country',
      '',
      'Given a basket in EUR',
      'When the country changes to Switzerland',
      'Then prices show in CHF',
    ].join('\n');
    expect(findCriteriaInField(value)).toEqual([
      { source: 'field', text: 'The total includes VAT' },
      { source: 'field', text: 'Prices show two decimals' },
      { source: 'field', text: 'Currency follows the shop country' },
      {
        source: 'field',
        text: 'Given a basket in EUR When the country changes to Switzerland Then prices show in CHF',
      },
    ]);
  });

  it('reads an ADF value as a criteria section: lists, tables, scenarios and plain paragraphs', () => {
    const value = doc(
      p('Orders export to CSV.'),
      bullets('One row per order line'),
      table(['Criterion'], ['Dates are ISO 8601']),
      codeBlock(
        'gherkin',
        'Scenario: empty\n  Given no orders\n  When exporting\n  Then the file has only a header',
      ),
    );
    expect(findCriteriaInField(value)).toEqual([
      { source: 'field', text: 'Orders export to CSV.' },
      { source: 'field', text: 'One row per order line' },
      { source: 'field', text: 'Dates are ISO 8601' },
      { source: 'field', text: 'empty: Given no orders When exporting Then the file has only a header' },
    ]);
  });

  it('has no criteria in an empty or non-text value', () => {
    for (const value of ['', '   \n', null, 3, { value: 'option' }, [doc(p('x'))]]) {
      expect(findCriteriaInField(value)).toEqual([]);
    }
  });
});

// Keep the helper imports honest: acceptanceCriteria is the demo's own way of writing the section.
it('reads the fixture helper acceptanceCriteria() as a section', () => {
  expect(texts(doc(...acceptanceCriteria('One', 'Two')))).toEqual(['One', 'Two']);
});
