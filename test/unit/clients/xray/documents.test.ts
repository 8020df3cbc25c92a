import { getVariableValues, parse, validate, visit } from 'graphql';
import {
  PLANS_PER_REQUEST,
  XRAY_DOCUMENTS,
  type XrayDocumentName,
} from '../../../../src/clients/xray/documents';
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

  it('the validator bites on a wrong field', () => {
    const errors = validate(
      loadXraySchema(),
      parse('{ getProjectSettings(projectIdOrKey: "1") { noSuchField } }'),
    );
    expect(errors.length).toBeGreaterThan(0);
  });
});
