/**
 * The site an invocation runs for, read from Forge's `installContext`
 * (`ari:cloud:jira::site/<cloudId>`); undefined when there is none or it names no site.
 */
export const cloudIdOf = (installContext: unknown): string | undefined =>
  typeof installContext === 'string' ? /site\/([^/]+)$/.exec(installContext)?.[1] : undefined;
