/**
 * What the context document needs of each covering test. The nested lists' limit is a variable:
 * Xray counts nested limits multiplicatively against its 10,000-item rule, so batches use less.
 */
const CONTEXT_TEST_FRAGMENT = /* GraphQL */ `
  fragment ContextTest on Test {
    issueId
    jira(fields: ["key", "summary", "status", "labels"])
    testType {
      name
      kind
    }
    steps {
      action
      data
      result
    }
    gherkin
    scenarioType
    unstructured
    folder {
      path
    }
    preconditions(limit: $nestedLimit) {
      total
      results {
        issueId
        definition
        jira(fields: ["key", "summary"])
      }
    }
    testRuns(limit: $nestedLimit) @include(if: $includeRuns) {
      total
      results {
        status {
          name
        }
        startedOn
        finishedOn
        testExecution {
          issueId
          jira(fields: ["key"])
        }
      }
    }
    testSets(limit: $nestedLimit) {
      results {
        issueId
        jira(fields: ["key", "summary"])
      }
    }
    testExecutions(limit: $nestedLimit) {
      results {
        issueId
        testEnvironments
        jira(fields: ["key", "summary"])
      }
    }
    testPlans(limit: $nestedLimit) {
      results {
        issueId
        jira(fields: ["key", "summary"])
      }
    }
  }
`;

/**
 * Test Plans read in one `planResults` request (aliases `p0`…; each ≤ 100 tests and ≤ 100 executions:
 * 8 + 800 + 800 = 1,608 items).
 */
export const PLANS_PER_REQUEST = 8;

/**
 * Each listed test's status in each of up to PLANS_PER_REQUEST Test Plans: Xray's own "status of the
 * Test … calculated based on … Test Plan" (`Test.status(testPlan:)`), read through the plan so that
 * the plan's key comes along. Aliases beyond the first are skipped with `@include(if: $useN)`.
 */
const PLAN_RESULTS_DOCUMENT = (() => {
  const indexes = Array.from({ length: PLANS_PER_REQUEST }, (_, index) => index);
  const variables = indexes
    .map((n) => `$p${n}: String, $t${n}: [String]${n > 0 ? `, $use${n}: Boolean!` : ''}`)
    .join(', ');
  const aliases = indexes
    .map(
      (n) => `
      p${n}: getTestPlan(issueId: $p${n})${n > 0 ? ` @include(if: $use${n})` : ''} {
        issueId
        jira(fields: ["key"])
        testExecutions(limit: 100) {
          results {
            issueId
          }
        }
        tests(issueIds: $t${n}, limit: 100) {
          results {
            issueId
            status(testPlan: $p${n}) {
              name
              final
            }
          }
        }
      }`,
    )
    .join('');
  return `
    query PlanResults(${variables}) {${aliases}
    }
  `;
})();

/**
 * Every GraphQL document the app sends to Xray. Tests validate each one against Xray Cloud's schema
 * (`../shared/contracts/xray/xray-cloud.graphql`) with graphql-js, so a typo fails CI, not a customer.
 */
export const XRAY_DOCUMENTS = {
  /** Cheap, project-scoped probe used by the connection check. */
  projectSettings: /* GraphQL */ `
    query ProjectSettings($projectIdOrKey: String) {
      getProjectSettings(projectIdOrKey: $projectIdOrKey) {
        projectId
        testTypeSettings {
          defaultTestTypeId
          testTypes {
            id
            name
            kind
          }
        }
        testCoverageSettings {
          coverableIssueTypeIds
          issueLinkTypeId
          issueLinkTypeDirection
        }
      }
    }
  `,
  /**
   * One requirement's Xray context in ONE request: the project's coverage settings and test types,
   * the coverage status, and a page of covering tests with everything a test generator needs.
   * Items per request (Xray counts nested list limits multiplicatively): tests 100 + 100 × 10 for
   * each of preconditions, runs, sets, executions and plans = 5,100 ≤ 10,000.
   */
  requirementContext: /* GraphQL */ `
    query RequirementContext(
      $issueId: String!
      $projectId: String
      $testsStart: Int
      $testsLimit: Int!
      $includeRuns: Boolean!
      $nestedLimit: Int!
    ) {
      getProjectSettings(projectIdOrKey: $projectId) {
        testTypeSettings {
          testTypes {
            id
            name
            kind
          }
        }
        testCoverageSettings {
          coverableIssueTypeIds
          issueLinkTypeId
        }
      }
      getCoverableIssue(issueId: $issueId) {
        issueId
        status {
          name
          description
        }
        tests(start: $testsStart, limit: $testsLimit) {
          total
          start
          limit
          results {
            ...ContextTest
          }
        }
      }
    }

    ${CONTEXT_TEST_FRAGMENT}
  `,
  /** A test of any kind; `jira.fields` carries the Jira side (project, summary, labels, priority). */
  /**
   * Many requirements' Xray context in one request (scheduled sync): Xray's settings for the project
   * and, per requirement, its coverage and first page of tests. With 25 requirements, 16 tests and
   * nested limit 4: 25 + 400 + 400 × 4 × 5 = 8,425 items ≤ 10,000.
   */
  requirementsBatch: /* GraphQL */ `
    query RequirementsBatch(
      $issueIds: [String]
      $projectId: String
      $limit: Int!
      $testsLimit: Int!
      $includeRuns: Boolean!
      $nestedLimit: Int!
    ) {
      getProjectSettings(projectIdOrKey: $projectId) {
        testTypeSettings {
          testTypes {
            id
            name
            kind
          }
        }
        testCoverageSettings {
          coverableIssueTypeIds
          issueLinkTypeId
        }
      }
      getCoverableIssues(issueIds: $issueIds, limit: $limit) {
        total
        results {
          issueId
          status {
            name
            description
          }
          tests(limit: $testsLimit) {
            total
            results {
              ...ContextTest
            }
          }
        }
      }
    }

    ${CONTEXT_TEST_FRAGMENT}
  `,

  /**
   * What changed in Xray since a time, in one request: tests (edited steps, definitions, type),
   * executions (run results), sets and plans (membership), each mapped to the requirements it covers;
   * plus the project's coverable issue types. Items: 100 + 500 + 3 × (5 + 500 + 2,500) = 9,615.
   */
  changesSince: /* GraphQL */ `
    query ChangesSince($projectId: String, $since: String, $testsStart: Int, $containersStart: Int) {
      getProjectSettings(projectIdOrKey: $projectId) {
        testCoverageSettings {
          coverableIssueTypeIds
        }
      }
      getTests(projectId: $projectId, modifiedSince: $since, start: $testsStart, limit: 100) {
        total
        results {
          ...CoveredBy
        }
      }
      getTestExecutions(projectId: $projectId, modifiedSince: $since, start: $containersStart, limit: 5) {
        total
        results {
          issueId
          testRuns(limit: 100) {
            total
            results {
              lastModified
              test {
                ...CoveredBy
              }
            }
          }
        }
      }
      getTestSets(projectId: $projectId, modifiedSince: $since, start: $containersStart, limit: 5) {
        total
        results {
          tests(limit: 100) {
            total
            results {
              ...CoveredBy
            }
          }
        }
      }
      getTestPlans(projectId: $projectId, modifiedSince: $since, start: $containersStart, limit: 5) {
        total
        results {
          tests(limit: 100) {
            total
            results {
              ...CoveredBy
            }
          }
        }
      }
    }

    fragment CoveredBy on Test {
      issueId
      coverableIssues(limit: 5) {
        total
        results {
          issueId
        }
      }
    }
  `,

  /** The requirements one test covers, when it covers more than the change query lists. */
  coveredByTest: /* GraphQL */ `
    query CoveredByTest($issueId: String) {
      getTest(issueId: $issueId) {
        coverableIssues(limit: 100) {
          results {
            issueId
          }
        }
      }
    }
  `,

  createTest: /* GraphQL */ `
    mutation CreateTest(
      $testType: UpdateTestTypeInput
      $steps: [CreateStepInput]
      $gherkin: String
      $unstructured: String
      $folderPath: String
      $jira: JSON!
    ) {
      createTest(
        testType: $testType
        steps: $steps
        gherkin: $gherkin
        unstructured: $unstructured
        folderPath: $folderPath
        jira: $jira
      ) {
        test {
          issueId
          jira(fields: ["key"])
        }
        warnings
      }
    }
  `,

  createTestSet: /* GraphQL */ `
    mutation CreateTestSet($testIssueIds: [String], $jira: JSON!) {
      createTestSet(testIssueIds: $testIssueIds, jira: $jira) {
        testSet {
          issueId
          jira(fields: ["key"])
        }
        warnings
      }
    }
  `,

  addTestsToTestSet: /* GraphQL */ `
    mutation AddTestsToTestSet($issueId: String!, $testIssueIds: [String]!) {
      addTestsToTestSet(issueId: $issueId, testIssueIds: $testIssueIds) {
        addedTests
        warning
      }
    }
  `,

  createTestExecution: /* GraphQL */ `
    mutation CreateTestExecution($testIssueIds: [String], $jira: JSON!) {
      createTestExecution(testIssueIds: $testIssueIds, jira: $jira) {
        testExecution {
          issueId
          jira(fields: ["key"])
        }
        warnings
      }
    }
  `,

  addTestsToTestExecution: /* GraphQL */ `
    mutation AddTestsToTestExecution($issueId: String!, $testIssueIds: [String]) {
      addTestsToTestExecution(issueId: $issueId, testIssueIds: $testIssueIds) {
        addedTests
        warning
      }
    }
  `,

  planResults: PLAN_RESULTS_DOCUMENT,

  /**
   * The content of up to 100 tests by id, with each step's id (what the step mutations address), for
   * the apply of accepted updates (src/clients/xray/test-content.ts). `steps` is a plain list, not a
   * connection: 100 items per call, far under the 10,000 of the node limit.
   */
  testContents: /* GraphQL */ `
    query TestContents($issueIds: [String], $limit: Int!) {
      getTests(issueIds: $issueIds, limit: $limit) {
        total
        results {
          issueId
          jira(fields: ["key"])
          testType {
            kind
          }
          steps {
            id
            action
            data
            result
            callTestIssueId
          }
          gherkin
          unstructured
        }
      }
    }
  `,

  updateGherkinDefinition: /* GraphQL */ `
    mutation UpdateGherkinDefinition($issueId: String!, $gherkin: String!) {
      updateGherkinTestDefinition(issueId: $issueId, gherkin: $gherkin) {
        issueId
      }
    }
  `,

  updateUnstructuredDefinition: /* GraphQL */ `
    mutation UpdateUnstructuredDefinition($issueId: String!, $unstructured: String!) {
      updateUnstructuredTestDefinition(issueId: $issueId, unstructured: $unstructured) {
        issueId
      }
    }
  `,

  addTestsToTestPlan: /* GraphQL */ `
    mutation AddTestsToTestPlan($issueId: String!, $testIssueIds: [String]!) {
      addTestsToTestPlan(issueId: $issueId, testIssueIds: $testIssueIds) {
        addedTests
        warning
      }
    }
  `,
} as const;

export type XrayDocumentName = keyof typeof XRAY_DOCUMENTS;

/** A document built for one request (aliased mutations); validated against the SDL in the tests. */
export interface XrayDynamicDocument {
  /** The operation name, for logs and messages. */
  name: string;
  query: string;
}

/** One step mutation of a `testStepOps` document. */
export type StepOpKind = 'update' | 'add' | 'remove';

/** At most this many step mutations go in one request (docs/upstream-fidelity.md, X11). */
export const STEP_OPS_PER_REQUEST = 25;

/**
 * Step mutations of one test as aliased fields of ONE mutation document (`o0`, `o1`, …), executed by
 * Xray in document order ("mutation fields … are executed serially": GraphQL spec, 6.2.2): so the
 * adds append in the order given. Variables: `$issueId` (when something is added), `$id<n>` (the step
 * of an update or removal), `$step<n>` (the row written). Mutations have no connections, so the node
 * limit counts no items; the request size is what STEP_OPS_PER_REQUEST bounds.
 */
export function testStepOpsDocument(kinds: readonly StepOpKind[]): XrayDynamicDocument {
  if (kinds.length === 0 || kinds.length > STEP_OPS_PER_REQUEST) {
    throw new RangeError(`between 1 and ${STEP_OPS_PER_REQUEST} step operations per request`);
  }
  const variables: string[] = [];
  if (kinds.includes('add')) variables.push('$issueId: String!');
  const fields = kinds.map((kind, n) => {
    if (kind === 'update') {
      variables.push(`$id${n}: String!`, `$step${n}: UpdateStepInput!`);
      return `o${n}: updateTestStep(stepId: $id${n}, step: $step${n}) { warnings }`;
    }
    if (kind === 'add') {
      variables.push(`$step${n}: CreateStepInput!`);
      return `o${n}: addTestStep(issueId: $issueId, step: $step${n}) { id }`;
    }
    variables.push(`$id${n}: String!`);
    return `o${n}: removeTestStep(stepId: $id${n})`;
  });
  return {
    name: 'TestStepOps',
    query: `mutation TestStepOps(${variables.join(', ')}) {\n  ${fields.join('\n  ')}\n}\n`,
  };
}
