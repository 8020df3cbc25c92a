/**
 * Jira's `fields` parameter: which issue fields a response carries.
 *
 * - A comma-separated list (or repeated parameters): `summary,status`.
 * - `*all`: every field; `*navigable`: the navigable ones (every field the simulator models is
 *   navigable, so the two are the same here).
 * - `-name` removes a field: `*all,-description`; a list of only exclusions starts from the
 *   operation's default.
 * - Custom fields (`customfield_10042`) are named like that; `*all` / `*navigable` include every custom
 *   field an issue has a value for (the simulator models text custom fields only).
 * - Unknown names are ignored, as Jira ignores them. `id` and `key` are not fields (they are always in
 *   the issue envelope), except that the enhanced search's default `id` means "ids only".
 *
 * Defaults differ by operation, as in Jira: GET issue `*all`, bulk fetch `*navigable`, enhanced
 * search `id`.
 */

export const ISSUE_FIELDS = [
  'summary',
  'description',
  'issuetype',
  'status',
  'priority',
  'labels',
  'components',
  'fixVersions',
  'reporter',
  'assignee',
  'created',
  'updated',
  'project',
  'issuelinks',
  'security',
  'attachment',
] as const;

export type IssueFieldName = (typeof ISSUE_FIELDS)[number];

const BY_LOWER = new Map<string, IssueFieldName>(ISSUE_FIELDS.map((name) => [name.toLowerCase(), name]));

/** `customfield_<digits>`, as Jira names custom fields. */
export const CUSTOM_FIELD = /^customfield_\d{1,18}$/;

/**
 * `idOnly`: the enhanced search's bare `{id}` items. Otherwise the fields to include, the custom
 * fields named, and whether every custom field is wanted (`*all` / `*navigable`).
 */
export type FieldSelection =
  { idOnly: true } | { idOnly: false; fields: Set<IssueFieldName>; custom: Set<string>; allCustom: boolean };

/** Flattens repeated and comma-separated values. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

export function selectFields(
  requested: readonly string[] | undefined,
  fallback: '*all' | '*navigable' | 'id',
): FieldSelection {
  const tokens = splitList(requested);
  const positive = tokens.filter((token) => !token.startsWith('-'));
  const start = positive.length > 0 ? positive : [fallback];
  if (start.every((token) => token === 'id')) return { idOnly: true };
  const fields = new Set<IssueFieldName>();
  const custom = new Set<string>();
  let allCustom = false;
  for (const token of start) {
    if (token === '*all' || token === '*navigable') {
      ISSUE_FIELDS.forEach((name) => fields.add(name));
      allCustom = true;
    }
    const name = BY_LOWER.get(token.toLowerCase());
    if (name) fields.add(name);
    else if (CUSTOM_FIELD.test(token)) custom.add(token);
  }
  for (const token of tokens.filter((t) => t.startsWith('-'))) {
    const name = BY_LOWER.get(token.slice(1).toLowerCase());
    if (name) fields.delete(name);
    else custom.delete(token.slice(1));
  }
  return { idOnly: false, fields, custom, allCustom };
}

/** Whether a selection asks for no more than ids/keys (the enhanced search then pages up to 5000). */
export function isLightSelection(requested: readonly string[] | undefined): boolean {
  const tokens = splitList(requested);
  return tokens.every((token) => token === 'id' || token === 'key');
}
