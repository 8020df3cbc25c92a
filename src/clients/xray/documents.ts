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
} as const;

export type XrayDocumentName = keyof typeof XRAY_DOCUMENTS;
