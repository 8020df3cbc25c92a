import { getVariableValues, parse, validate, visit } from 'graphql';
import {
  PLANS_PER_REQUEST,
  STEP_OPS_PER_REQUEST,
  testStepOpsDocument,
  XRAY_DOCUMENTS,
  type StepOpKind,
  type XrayDocumentName,
} from '../../../../src/clients/xray/documents';
import { TEST_CONTENTS_PER_REQUEST } from '../../../../src/clients/xray/test-content';
import { CONTEXT_NESTED_LIMIT, TESTS_PAGE_SIZE } from '../../../../src/clients/xray/requirement-context';
import {
  BATCH_NESTED,
  BATCH_REQUIREMENTS,
  BATCH_TESTS,
} from '../../../../src/clients/xray/requirements-batch';
import { describeWithContracts, loadXraySchema } from '../../../harness/contracts';
import { checkXrayLimits, selectOperation } from '../../../harness/xray-sim/rules';

/** The largest variables the app sends with each read (see the client functions). */
const LARGEST: [XrayDocumentName, Record<string, unknown>][] = [
  ['projectSettings', { projectIdOrKey: '10000' }],
  [
    'requirementContext',
    {
      issueId: '10100',
      projectId: '10000',
      testsStart: 0,
      testsLimit: TESTS_PAGE_SIZE,
      includeRuns: true,
      nestedLimit: CONTEXT_NESTED_LIMIT,
    },
  ],
  [
    'requirementsBatch',
    {
      issueIds: Array.from({ length: BATCH_REQUIREMENTS }, (_, index) => String(10100 + index)),
      projectId: '10000',
      limit: BATCH_REQUIREMENTS,
      testsLimit: BATCH_TESTS,
      includeRuns: true,
      nestedLimit: BATCH_NESTED,
    },
  ],
  [
    'changesSince',
    { projectId: '10000', since: '2026-01-01T00:00:00.000Z', testsStart: 0, containersStart: 0 },
  ],
  ['coveredByTest', { issueId: '10200' }],
  [
    'testContents',
    {
      issueIds: Array.from({ length: TEST_CONTENTS_PER_REQUEST }, (_, index) => String(10500 + index)),
      limit: TEST_CONTENTS_PER_REQUEST,
    },
  ],
  [
    'planResults',
    Object.fromEntries(
      Array.from({ length: PLANS_PER_REQUEST }, (_, n) => [
        [`p${n}`, String(10300 + n)],
        [`t${n}`, Array.from({ length: 100 }, (_, index) => String(10400 + index))],
        ...(n > 0 ? [[`use${n}`, true]] : []),
      ]).flat(),
    ),
  ],
];

describeWithContracts('Xray GraphQL documents against the Xray Cloud schema', () => {
  it.each(Object.entries(XRAY_DOCUMENTS))('%s is valid', (_name, document) => {
    const errors = validate(loadXraySchema(), parse(document));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it('no document filters by jql: Xray refuses a JQL matching more than 100 issues, so lists go by ids or project', () => {
    // SDL, getTests and the other list queries: "If the jql returns more than 100 issues an error will
    // be returned asking the user to refine the jql search." A jql the app built would break on big
    // projects; ids (25 a batch) and projectId + modifiedSince have no such ceiling.
    const withJql = Object.entries(XRAY_DOCUMENTS).flatMap(([name, document]) => {
      const found: string[] = [];
      visit(parse(document), {
        Argument(node) {
          if (node.name.value === 'jql') found.push(name);
        },
      });
      return found;
    });
    expect(withJql).toEqual([]);
  });

  it('no document pins a test version: the app reads and links each test’s default version', () => {
    const pinned = Object.entries(XRAY_DOCUMENTS).flatMap(([name, document]) => {
      const found: string[] = [];
      visit(parse(document), {
        Argument(node) {
          if (node.name.value === 'versionId' || node.name.value === 'tests')
            found.push(`${name}.${node.name.value}`);
        },
        Field(node) {
          if (node.name.value === 'testVersions' || node.name.value === 'testVersion')
            found.push(`${name}.${node.name.value}`);
        },
      });
      return found;
    });
    expect(pinned).toEqual([]);
  });

  // "Node limit": limit within 1–100 on every connection, at most 10,000 items per call, nested limits
  // multiplied (@include'd lists counted as if included) — checked with the simulator's rule code.
  it.each(LARGEST)('%s at its largest stays within Xray’s node limit', (name, variables) => {
    const schema = loadXraySchema();
    const document = parse(XRAY_DOCUMENTS[name]);
    const operation = selectOperation(document, undefined);
    if (!operation) throw new Error(`${name} has no single operation`);
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    expect(coerced.errors ?? []).toEqual([]);
    expect(checkXrayLimits(schema, document, operation, coerced.coerced ?? {})).toEqual([]);
  });

  it('testStepOpsDocument: any mix of up to 25 step ops is valid, with its variables, within the node limit', () => {
    const schema = loadXraySchema();
    const kinds: StepOpKind[] = ['update', 'add', 'remove'];
    // Every single kind, every pair, and a full request of each pattern a plan makes.
    const mixes: StepOpKind[][] = [
      ...kinds.map((kind) => [kind]),
      ...kinds.flatMap((a) => kinds.map((b) => [a, b])),
      Array.from({ length: STEP_OPS_PER_REQUEST }, (_, i) => kinds[i % 3] ?? 'add'),
      [...Array<StepOpKind>(15).fill('update'), ...Array<StepOpKind>(10).fill('add')],
      [...Array<StepOpKind>(20).fill('update'), ...Array<StepOpKind>(5).fill('remove')],
    ];
    for (const mix of mixes) {
      const { query } = testStepOpsDocument(mix);
      const document = parse(query);
      expect(validate(schema, document).map((error) => error.message)).toEqual([]);
      const variables: Record<string, unknown> = {};
      mix.forEach((kind, n) => {
        if (kind === 'add') variables.issueId = '10500';
        if (kind !== 'add') variables[`id${n}`] = `step-${n}`;
        if (kind !== 'remove') variables[`step${n}`] = { action: 'a', data: '', result: 'r' };
      });
      const operation = selectOperation(document, undefined);
      if (!operation) throw new Error('no single operation');
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      expect(coerced.errors ?? []).toEqual([]);
      expect(checkXrayLimits(schema, document, operation, coerced.coerced ?? {})).toEqual([]);
    }
    expect(() => testStepOpsDocument([])).toThrow(RangeError);
    expect(() => testStepOpsDocument(Array<StepOpKind>(STEP_OPS_PER_REQUEST + 1).fill('add'))).toThrow(
      RangeError,
    );
  });

  it('the validator bites on a wrong field', () => {
    const errors = validate(
      loadXraySchema(),
      parse('{ getProjectSettings(projectIdOrKey: "1") { noSuchField } }'),
    );
    expect(errors.length).toBeGreaterThan(0);
  });
});
