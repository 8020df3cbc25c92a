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
      preconditions(limit: 10) {
        total
        results {
          issueId
          definition
          jira(fields: ["key", "summary"])
        }
      }
      testRuns(limit: 10) @include(if: $includeRuns) {
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
      testSets(limit: 10) {
        results {
          issueId
          jira(fields: ["key", "summary"])
        }
      }
      testExecutions(limit: 10) {
        results {
          issueId
          testEnvironments
          jira(fields: ["key", "summary"])
        }
      }
      testPlans(limit: 10) {
        results {
          issueId
          jira(fields: ["key", "summary"])
        }
      }
    }
  `,
  /** A test of any kind; `jira.fields` carries the Jira side (project, summary, labels, priority). */
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
