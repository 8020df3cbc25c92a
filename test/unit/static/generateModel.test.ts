import type { CreationDto, GenerationDto, ProjectTestTypeDto, ProposalDto } from '../../../src/api';
import {
  bodyKindOf,
  buildCreateInput,
  createButtonText,
  createdKeys,
  countsText,
  createdText,
  creationCounts,
  defaultDestinationForm,
  defaultGenerateForm,
  destinationFieldOf,
  elapsedSeconds,
  initialReview,
  isCreationActive,
  isGenerationActive,
  isIssueKey,
  isSelectable,
  knownOf,
  mapCreateFieldErrors,
  mapGenerateFieldErrors,
  normaliseFolder,
  organisedParts,
  pendingItemsOf,
  pickerValueOf,
  reviewErrors,
  selectedProposals,
  selectionSummary,
  similarityText,
  startInputOf,
  testTypeAppearance,
  titleError,
  titleOf,
  toDestinationDto,
  toStartInput,
  validateDestination,
  validateGenerateForm,
  withSelected,
  withTestType,
  withPickerValue,
  withTitle,
  writingText,
  type DestinationForm,
} from '../../../static/issue-panel/src/generate/model';

const TYPES: ProjectTestTypeDto[] = [
  { name: 'Manual', kind: 'Steps' },
  { name: 'Cucumber', kind: 'Gherkin' },
  { name: 'Generic', kind: 'Unstructured' },
];

function proposal(id: string, overrides: Partial<ProposalDto> = {}): ProposalDto {
  return {
    id,
    title: `Test ${id}`,
    testType: 'Manual',
    kind: 'Steps',
    priority: null,
    labels: [],
    steps: [{ action: 'Open the page', data: null, result: 'It opens' }],
    rationale: null,
    problems: [],
    selectedByDefault: true,
    ...overrides,
  };
}

function generation(proposals: ProposalDto[], overrides: Partial<GenerationDto> = {}): GenerationDto {
  return {
    id: 'gen-1',
    status: 'succeeded',
    requestedAt: '2026-01-10T10:00:00.000Z',
    requestedBy: 'user-1',
    contentHash: 'hash',
    testTypes: ['Manual'],
    maxTests: 5,
    proposals,
    rejected: [],
    ...overrides,
  };
}

const PROPOSALS = [
  proposal('a'),
  proposal('b', { problems: ['Steps are empty'], selectedByDefault: false }),
  proposal('c', {
    duplicateOf: { key: 'DEMO-23', summary: 'Login', similarity: 0.91 },
    selectedByDefault: false,
  }),
  proposal('d', { title: '<img src=x onerror=alert(1)>' }),
  proposal('e', { created: { id: '10100', key: 'DEMO-100' }, selectedByDefault: true }),
];

describe('generation status helpers', () => {
  it('knows which generations and creations are still running', () => {
    expect(isGenerationActive({ status: 'pending' })).toBe(true);
    expect(isGenerationActive({ status: 'running' })).toBe(true);
    expect(isGenerationActive({ status: 'succeeded' })).toBe(false);
    expect(isGenerationActive({ status: 'failed' })).toBe(false);
    expect(isGenerationActive(null)).toBe(false);
    expect(isCreationActive({ status: 'running' })).toBe(true);
    expect(isCreationActive({ status: 'partial' })).toBe(false);
    expect(isCreationActive(undefined)).toBe(false);
  });

  it('counts the seconds since the request, never negative', () => {
    const now = new Date('2026-01-10T10:00:12.900Z');
    expect(elapsedSeconds('2026-01-10T10:00:00.000Z', now)).toBe(12);
    expect(elapsedSeconds('2026-01-10T10:00:30.000Z', now)).toBe(0);
    expect(elapsedSeconds('not a date', now)).toBe(0);
    expect(writingText(12)).toBe('SQAI is writing tests… (12s)');
    expect(writingText(65)).toBe('SQAI is writing tests… (1m 05s)');
  });
});

describe('generate form', () => {
  it('defaults to every test type, 5 tests and no instructions', () => {
    expect(defaultGenerateForm(TYPES)).toEqual({
      testTypes: ['Manual', 'Cucumber', 'Generic'],
      maxTests: '5',
      instructions: '',
    });
  });

  it('reuses the previous generation’s choices, dropping types the project no longer has', () => {
    expect(
      defaultGenerateForm(TYPES, {
        testTypes: ['Generic', 'Gone'],
        maxTests: 12,
        instructions: 'Edge cases',
      }),
    ).toEqual({ testTypes: ['Generic'], maxTests: '12', instructions: 'Edge cases' });
    expect(defaultGenerateForm(TYPES, { testTypes: ['Gone'], maxTests: 99 })).toEqual({
      testTypes: ['Manual', 'Cucumber', 'Generic'],
      maxTests: '5',
      instructions: '',
    });
  });

  it('toggles test types in the project’s order', () => {
    const model = { ...defaultGenerateForm(TYPES), testTypes: ['Generic'] };
    expect(withTestType(model, TYPES, 'Manual', true).testTypes).toEqual(['Manual', 'Generic']);
    expect(withTestType(model, TYPES, 'Generic', false).testTypes).toEqual([]);
  });

  it('validates types, the maximum (1–50, whole) and the instructions’ length', () => {
    const ok = defaultGenerateForm(TYPES);
    expect(validateGenerateForm(ok, TYPES)).toEqual({});
    expect(validateGenerateForm({ ...ok, testTypes: [] }, TYPES).testTypes).toMatch(/at least one/);
    expect(validateGenerateForm({ ...ok, testTypes: ['Exploratory'] }, TYPES).testTypes).toMatch(
      /Exploratory/,
    );
    for (const maxTests of ['0', '51', '2.5', '', 'five', '-1'])
      expect(validateGenerateForm({ ...ok, maxTests }, TYPES).maxTests).toBe(
        'Enter a whole number from 1 to 50.',
      );
    for (const maxTests of ['1', '50', ' 7 '])
      expect(validateGenerateForm({ ...ok, maxTests }, TYPES).maxTests).toBeUndefined();
    expect(validateGenerateForm({ ...ok, instructions: 'x'.repeat(2000) }, TYPES)).toEqual({});
    expect(validateGenerateForm({ ...ok, instructions: 'x'.repeat(2001) }, TYPES).instructions).toMatch(
      /2,000 characters \(now 2,001\)/,
    );
  });

  it('builds the start input (trimmed instructions, omitted when empty)', () => {
    expect(toStartInput({ testTypes: ['Manual'], maxTests: ' 3 ', instructions: '  ' })).toEqual({
      testTypes: ['Manual'],
      maxTests: 3,
    });
    expect(toStartInput({ testTypes: ['Manual'], maxTests: '3', instructions: ' Focus ' })).toEqual({
      testTypes: ['Manual'],
      maxTests: 3,
      instructions: 'Focus',
    });
    expect(startInputOf({ testTypes: ['Generic'], maxTests: 4, instructions: 'Again' })).toEqual({
      testTypes: ['Generic'],
      maxTests: 4,
      instructions: 'Again',
    });
  });

  it('maps server field errors to the form’s fields', () => {
    expect(
      mapGenerateFieldErrors({ testTypes: 'Unknown type', 'maxTests.value': 'Too many', other: 'Nope' }),
    ).toEqual({ fields: { testTypes: 'Unknown type', maxTests: 'Too many' }, other: ['Nope'] });
    expect(mapGenerateFieldErrors(undefined)).toEqual({ fields: {}, other: [] });
  });
});

describe('review', () => {
  const gen = generation(PROPOSALS);

  it('selects the valid, non-duplicate, not-yet-created proposals by default', () => {
    const review = initialReview(gen);
    expect(review.generationId).toBe('gen-1');
    expect(selectedProposals(gen, review, createdKeys(gen, null)).map((p) => p.id)).toEqual(['a', 'd']);
    expect(selectionSummary(gen, review, createdKeys(gen, null))).toBe('2 selected of 5');
  });

  it('never selects invalid or created proposals, but lets duplicates be chosen', () => {
    const created = createdKeys(gen, null);
    let review = initialReview(gen);
    review = withSelected(review, 'b', true);
    review = withSelected(review, 'e', true);
    review = withSelected(review, 'c', true);
    review = withSelected(review, 'a', false);
    expect(selectedProposals(gen, review, created).map((p) => p.id)).toEqual(['c', 'd']);
    expect(isSelectable(PROPOSALS[1]!, created)).toBe(false);
    expect(isSelectable(PROPOSALS[4]!, created)).toBe(false);
    expect(isSelectable(PROPOSALS[2]!, created)).toBe(true);
  });

  it('knows created keys from the proposals and from a creation', () => {
    const creation: Pick<CreationDto, 'items'> = {
      items: [
        { proposalId: 'a', title: 'Test a', status: 'created', key: 'DEMO-101' },
        { proposalId: 'd', title: 'x', status: 'failed' },
      ],
    };
    const created = createdKeys(gen, creation);
    expect(created).toEqual({ e: 'DEMO-100', a: 'DEMO-101' });
    expect(selectedProposals(gen, initialReview(gen), created).map((p) => p.id)).toEqual(['d']);
    // A stored creation counts from the start (after a reload).
    const reloaded = generation(PROPOSALS, {
      creation: { ...creationOf('done'), items: creation.items },
    });
    expect(initialReview(reloaded).selected.a).toBe(false);
  });

  it('keeps edited titles and checks the selected ones', () => {
    let review = withTitle(initialReview(gen), 'a', '  ');
    expect(titleOf(review, PROPOSALS[0]!)).toBe('  ');
    expect(titleOf(review, PROPOSALS[3]!)).toBe('<img src=x onerror=alert(1)>');
    expect(reviewErrors(gen, review, {})).toEqual({ a: 'Enter a title.' });
    review = withSelected(review, 'a', false);
    expect(reviewErrors(gen, review, {})).toEqual({});
    expect(titleError('x'.repeat(256))).toMatch(/255 characters/);
    expect(titleError(' ok ')).toBeUndefined();
  });

  it('labels the create button', () => {
    expect(createButtonText(0)).toBe('Create 0 tests in Xray');
    expect(createButtonText(1)).toBe('Create 1 test in Xray');
    expect(createButtonText(3)).toBe('Create 3 tests in Xray');
  });

  it('shows bodies by kind, falling back to what SQAI sent', () => {
    expect(bodyKindOf(proposal('x'))).toBe('steps');
    expect(bodyKindOf(proposal('x', { kind: 'Gherkin', steps: [], gherkin: 'Feature: x' }))).toBe('gherkin');
    expect(bodyKindOf(proposal('x', { kind: 'Unstructured', steps: undefined, definition: 'Do it' }))).toBe(
      'definition',
    );
    expect(bodyKindOf(proposal('x', { kind: 'Gherkin', steps: undefined, definition: 'Do it' }))).toBe(
      'definition',
    );
    expect(bodyKindOf(proposal('x', { steps: [] }))).toBe('none');
    expect(testTypeAppearance('Steps')).toBe('inprogress');
    expect(testTypeAppearance('Gherkin')).toBe('new');
    expect(testTypeAppearance('Unstructured')).toBe('default');
    expect(similarityText(0.914)).toBe('91% similar');
    expect(similarityText(87)).toBe('87% similar');
  });
});

describe('destination', () => {
  const base = defaultDestinationForm('DEMO-1');

  it('defaults to nowhere, with a ready summary for new sets and executions', () => {
    expect(base.testSet).toEqual({
      mode: 'none',
      key: '',
      summary: 'DEMO-1 — SQAI generated tests',
      keyTyped: false,
    });
    expect(toDestinationDto(base)).toEqual({});
    expect(validateDestination(base)).toEqual({});
  });

  it('validates keys, summaries and the folder', () => {
    const form: DestinationForm = {
      testSet: { mode: 'existing', key: 'demo 5', summary: '', keyTyped: true },
      testExecution: { mode: 'new', key: '', summary: '   ', keyTyped: false },
      testPlan: { mode: 'existing', key: '', keyTyped: true },
      folder: 'Checkout',
    };
    const errors = validateDestination(form);
    expect(errors.testSet).toMatch(/not an issue key/);
    expect(errors.testExecution).toMatch(/summary/);
    expect(errors.testPlan).toMatch(/Enter the key/);
    expect(errors.folder).toMatch(/Start the folder path with “\/”/);
    expect(isIssueKey(' demo-12 ')).toBe(true);
    expect(isIssueKey('DEMO-0')).toBe(false);
    expect(isIssueKey('12-DEMO')).toBe(false);
  });

  it('builds the DestinationDto (keys upper-cased, folder normalised)', () => {
    const form: DestinationForm = {
      testSet: { mode: 'new', key: 'DEMO-9', summary: ' Regression ', keyTyped: false },
      testExecution: { mode: 'existing', key: ' demo-61 ', summary: 'ignored', keyTyped: true },
      testPlan: { mode: 'existing', key: 'demo-40', keyTyped: false },
      folder: ' /Checkout//Generated/ ',
    };
    expect(validateDestination(form)).toEqual({});
    expect(toDestinationDto(form)).toEqual({
      testSet: { mode: 'new', summary: 'Regression' },
      testExecution: { mode: 'existing', key: 'DEMO-61' },
      testPlan: { key: 'DEMO-40' },
      folder: '/Checkout/Generated',
    });
    expect(normaliseFolder('/')).toBe('/');
    expect(normaliseFolder('')).toBe('');
  });

  it('moves between none, new, a known destination and a typed key', () => {
    let choice = base.testSet;
    expect(pickerValueOf(choice)).toBe('none');
    choice = withPickerValue(choice, 'DEMO-50');
    expect(choice).toMatchObject({ mode: 'existing', key: 'DEMO-50', keyTyped: false });
    expect(pickerValueOf(choice)).toBe('DEMO-50');
    choice = withPickerValue(choice, 'existing');
    expect(choice).toMatchObject({ mode: 'existing', key: '', keyTyped: true });
    choice = { ...choice, key: 'DEMO-77' };
    expect(pickerValueOf(choice)).toBe('existing');
    expect(withPickerValue(choice, 'existing').key).toBe('DEMO-77');
    choice = withPickerValue(choice, 'new');
    expect(choice.mode).toBe('new');
    expect(choice.summary).toBe('DEMO-1 — SQAI generated tests');
    expect(pickerValueOf(choice)).toBe('new');
    expect(toDestinationDto({ ...base, testPlan: withPickerValue(base.testPlan, 'DEMO-40') })).toEqual({
      testPlan: { key: 'DEMO-40' },
    });
  });

  it('maps server field paths to destination fields and selection titles', () => {
    expect(destinationFieldOf('destination.testSet.key')).toBe('testSet');
    expect(destinationFieldOf('folder')).toBe('folder');
    expect(destinationFieldOf('destination')).toBeUndefined();
    const input = { selections: [{ id: 'a' }, { id: 'd', title: 'New' }], destination: {} };
    expect(
      mapCreateFieldErrors(
        {
          'destination.testPlan.key': 'No such plan',
          'selections.1.title': 'Too long',
          'selections[0].id': 'Unknown',
          nonsense: 'Bad',
        },
        input,
      ),
    ).toEqual({
      destination: { testPlan: 'No such plan' },
      titles: { d: 'Too long', a: 'Unknown' },
      other: ['Bad'],
    });
  });

  it('lists the known destinations of each kind', () => {
    const panel = {
      knownDestinations: {
        testSets: [{ key: 'DEMO-50', summary: 'Set' }],
        testExecutions: [{ key: 'DEMO-60', summary: 'Exec' }],
        testPlans: [{ key: 'DEMO-40', summary: 'Plan' }],
      },
    };
    expect(knownOf(panel, 'testSet')[0]?.key).toBe('DEMO-50');
    expect(knownOf(panel, 'testExecution')[0]?.key).toBe('DEMO-60');
    expect(knownOf(panel, 'testPlan')[0]?.key).toBe('DEMO-40');
    expect(knownOf(null, 'testSet')).toEqual([]);
  });
});

function creationOf(status: CreationDto['status']): CreationDto {
  return {
    status,
    destination: {},
    items: [],
    organised: {},
    errors: [],
    startedAt: '2026-01-10T10:01:00.000Z',
    queued: false,
  };
}

describe('creating', () => {
  const gen = generation(PROPOSALS);

  it('sends the selected ids, with a title only when it was edited', () => {
    let review = initialReview(gen);
    review = withTitle(review, 'a', '  Log in with a valid password  ');
    review = withTitle(review, 'd', '<img src=x onerror=alert(1)>');
    review = withSelected(review, 'c', true);
    const form: DestinationForm = {
      ...defaultDestinationForm('DEMO-1'),
      testSet: { mode: 'new', key: '', summary: 'DEMO-1 — SQAI generated tests', keyTyped: false },
    };
    const input = buildCreateInput(gen, review, createdKeys(gen, null), form);
    expect(input).toEqual({
      selections: [{ id: 'a', title: 'Log in with a valid password' }, { id: 'c' }, { id: 'd' }],
      destination: { testSet: { mode: 'new', summary: 'DEMO-1 — SQAI generated tests' } },
    });
    expect(pendingItemsOf(input, gen.proposals)).toEqual([
      { proposalId: 'a', title: 'Log in with a valid password', status: 'pending' },
      { proposalId: 'c', title: 'Test c', status: 'pending' },
      { proposalId: 'd', title: '<img src=x onerror=alert(1)>', status: 'pending' },
    ]);
  });

  it('counts and words the outcome', () => {
    const items = [
      { status: 'created' as const },
      { status: 'created' as const },
      { status: 'failed' as const },
      { status: 'pending' as const },
    ];
    const counts = creationCounts(items);
    expect(counts).toEqual({ total: 4, created: 2, notLinked: 0, failed: 1, pending: 1 });
    expect(createdText(counts)).toBe('Created 2 of 4 tests');
    expect(countsText(counts)).toBe('2 created · 1 failed · 1 pending');
    // A test created but not linked to the requirement is its own count, said as such.
    const notLinked = creationCounts([...items, { status: 'notLinked' as const }]);
    expect(notLinked).toMatchObject({ total: 5, notLinked: 1 });
    expect(countsText(notLinked)).toBe('2 created · 1 created, not linked · 1 failed · 1 pending');
    expect(createdText(creationCounts([{ status: 'created' }]))).toBe('Created 1 test');
  });

  it('lists where the tests went', () => {
    expect(
      organisedParts({
        testSet: { key: 'DEMO-70', created: true },
        testExecution: { key: 'DEMO-60', created: false },
        testPlan: { key: 'DEMO-40' },
        folder: '/Checkout',
      }),
    ).toEqual([
      { label: 'Test Set', key: 'DEMO-70', created: true },
      { label: 'Test Execution', key: 'DEMO-60', created: false },
      { label: 'Test Plan', key: 'DEMO-40' },
      { label: 'Folder', path: '/Checkout' },
    ]);
    expect(organisedParts({})).toEqual([]);
  });
});
