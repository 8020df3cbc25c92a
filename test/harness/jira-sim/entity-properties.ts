/**
 * Indexed entity properties in JQL (docs/jira-fidelity.md "Entity properties in JQL"): an app's
 * `jira:entityProperty` modules ask Jira to index fields of an issue property; a query names such a
 * field by its path, `issue.property[sqaiCriteria].unproven > 0`, or by the module's `searchAlias`,
 * `sqaiUnproven > 0`, and may sort by it.
 *
 * The simulator evaluates `number` values (=, !=, >, >=, <, <=, IN, NOT IN, IS [NOT] EMPTY, ORDER BY).
 * A property path no module indexes matches nothing, without an error (Jira has no index to search);
 * other value types (`string`, `text`, `user`, `date`) are reported as unsupported by the simulator.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SimIssue } from './store';

export interface IndexedPropertyValue {
  entityType: 'issue' | 'user' | 'project';
  propertyKey: string;
  /** Dot-separated path into the property's JSON value. */
  path: string;
  type: 'number' | 'string' | 'text' | 'user' | 'date';
  searchAlias?: string;
}

const manifestSchema = z.object({
  modules: z
    .object({
      'jira:entityProperty': z
        .array(
          z.object({
            entityType: z.enum(['issue', 'user', 'project']).default('issue'),
            propertyKey: z.string().min(1),
            values: z.array(
              z.object({
                path: z.string().min(1),
                type: z.enum(['number', 'string', 'text', 'user', 'date']),
                searchAlias: z.string().min(1).optional(),
              }),
            ),
          }),
        )
        .default([]),
    })
    .loose(),
});

/** The indexed values a manifest's `jira:entityProperty` modules declare. */
export function indexedPropertiesOf(manifestPath: string): IndexedPropertyValue[] {
  const manifest = manifestSchema.parse(parseYaml(readFileSync(manifestPath, 'utf8')));
  return manifest.modules['jira:entityProperty'].flatMap((module) =>
    module.values.map((value) => ({
      entityType: module.entityType,
      propertyKey: module.propertyKey,
      path: value.path,
      type: value.type,
      ...(value.searchAlias ? { searchAlias: value.searchAlias } : {}),
    })),
  );
}

const PROPERTY_FIELD = /^issue\.property\[([^\]]*)\]\.(.+)$/i;

/**
 * The indexed value a JQL field names: `issue.property[key].path` or a search alias. `null`: a
 * property path no module indexes (matches nothing); `undefined`: not a property field at all.
 */
export function propertyFieldOf(
  field: string,
  index: readonly IndexedPropertyValue[],
): IndexedPropertyValue | null | undefined {
  const issueValues = index.filter((value) => value.entityType === 'issue');
  const path = PROPERTY_FIELD.exec(field);
  if (path) {
    const [, key = '', valuePath = ''] = path;
    return issueValues.find((value) => value.propertyKey === key && value.path === valuePath) ?? null;
  }
  const lower = field.toLowerCase();
  return issueValues.find((value) => value.searchAlias?.toLowerCase() === lower);
}

/** The number an issue's property holds at the indexed path, if it holds one. */
export function numberAt(issue: SimIssue, value: IndexedPropertyValue): number | undefined {
  let node: unknown = issue.properties.get(value.propertyKey);
  for (const part of value.path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, part)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : undefined;
}
