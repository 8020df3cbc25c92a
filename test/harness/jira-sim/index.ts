/** The Jira Cloud simulator: state (`store`), JQL, the REST face (`simulator`) and a small fixture. */
export * from './store';
export { createJiraSimulator, JiraSimulator } from './simulator';
export type { JiraRequest, JiraRequestRecord, JiraSimulatorOptions } from './simulator';
export { evaluateJql, isBoundedJql, JqlError, parseJql, compareKeys, adfToPlainText } from './jql';
export type { JqlOptions, JqlQuery } from './jql';
export { toJiraTimestamp, parseJqlDate } from './jira-time';
export { ROUTES } from './routes';
export { smallJiraStore, SMALL, adf } from './fixtures';
