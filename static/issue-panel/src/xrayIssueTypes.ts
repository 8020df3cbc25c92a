/**
 * Xray's own issue types. Tests are generated for requirements, so the panel does not offer
 * "Generate tests" on these (issue 16 item 8); Xray Cloud creates them with these names.
 */
const XRAY_ISSUE_TYPES: ReadonlySet<string> = new Set([
  'Test',
  'Test Set',
  'Test Execution',
  'Test Plan',
  'Precondition',
  'Sub Test Execution',
]);

export function offersGeneration(issueType: string): boolean {
  return !XRAY_ISSUE_TYPES.has(issueType.trim());
}
