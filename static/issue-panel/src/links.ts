/**
 * Where "Open SQAI settings" goes: the app's project settings page. Its URL needs the app and
 * environment ids, which Forge only exposes inside the module's `localId`
 * (`ari:cloud:ecosystem::extension/<appId>/<envId>/static/<moduleKey>`). Pure: unit-tested in node.
 */

export interface SettingsLinkContext {
  localId?: string | undefined;
}

/** App and environment ids from a Forge `localId`, or undefined when it is not in the known shape. */
export function appIdsFromLocalId(localId: string | undefined): { appId: string; envId: string } | undefined {
  if (!localId) return undefined;
  const match = /(?:^|[:/])extension\/([^/\s]+)\/([^/\s]+)\/static\//.exec(localId);
  if (!match?.[1] || !match[2]) return undefined;
  return { appId: match[1], envId: match[2] };
}

/**
 * `/jira/software/projects/<KEY>/settings/apps/<appId>/<envId>`; when the ids cannot be derived, the
 * project's Apps settings (`/plugins/servlet/project-config/<KEY>/apps`), where the page is listed.
 */
export function settingsUrlOf(projectKey: string, context: SettingsLinkContext): string {
  const key = encodeURIComponent(projectKey);
  const ids = appIdsFromLocalId(context.localId);
  if (ids) {
    return `/jira/software/projects/${key}/settings/apps/${encodeURIComponent(ids.appId)}/${encodeURIComponent(ids.envId)}`;
  }
  return `/plugins/servlet/project-config/${key}/apps`;
}
