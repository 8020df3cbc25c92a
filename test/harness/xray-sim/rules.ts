/**
 * Xray Cloud's resource limits on a parsed GraphQL document ("Xray Cloud GraphQL resource
 * limitations" → "Node limit"):
 *   - clients must supply `limit` on every connection (the SDL makes it `Int!`, so graphql-js
 *     validation already enforces presence), and its value must be within 1–100;
 *   - one call cannot request more than 10,000 items in total, where each connection counts its
 *     `limit` multiplied by the limits of the connections it is nested in (the documented example:
 *     getTests(limit: 50) { … preconditions(limit: 10) } = 50 + 50 × 10 = 550 items).
 * Violations are answered as GraphQL errors (HTTP 200), before anything executes.
 */
import {
  getArgumentValues,
  getLocation,
  getNamedType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type SourceLocation,
} from 'graphql';

export const MAX_LIMIT = 100;
export const MAX_ITEMS = 10_000;
export const MAX_JQL_ISSUES = 100;

export const RULE_MESSAGES = {
  limitTooHigh: `"limit" must be less than or equal to ${MAX_LIMIT}`,
  limitTooLow: '"limit" must be greater than or equal to 1',
  startNegative: '"start" must be greater than or equal to 0',
  tooManyItems: (items: number) =>
    `Query exceeds the maximum of ${MAX_ITEMS} items per request: it may return up to ${items} items ` +
    '(each "limit" multiplied by the limits of the lists it is nested in). Reduce the "limit" arguments.',
  jqlTooBroad: (count: number) =>
    `The JQL query returned ${count} issues, more than the maximum of ${MAX_JQL_ISSUES}. Please refine the JQL search.`,
} as const;

export interface RuleViolation {
  message: string;
  locations?: SourceLocation[];
}

export function selectOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/** Checks the limit rules; `variables` must already be coerced (graphql `getVariableValues`). */
export function checkXrayLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): RuleViolation[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return [];
  const violations: RuleViolation[] = [];
  let items = 0;

  const walk = (
    parent: GraphQLObjectType,
    selectionSet: SelectionSetNode,
    multiplier: number,
    seen: Set<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isObjectType(type)) walk(type, selection.selectionSet, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        if (fragment && type && isObjectType(type) && !seen.has(name)) {
          walk(type, fragment.selectionSet, multiplier, new Set([...seen, name]));
        }
        continue;
      }
      const field = parent.getFields()[selection.name.value];
      if (!field) continue; // __typename and friends
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(field, selection, variables);
      } catch {
        continue; // graphql-js reports bad arguments itself
      }
      const where = selection.loc
        ? { locations: [getLocation(selection.loc.source, selection.loc.start)] }
        : {};
      let childMultiplier = multiplier;
      if (field.args.some((arg) => arg.name === 'limit')) {
        const limit = args.limit;
        if (typeof limit === 'number') {
          if (limit > MAX_LIMIT) violations.push({ message: RULE_MESSAGES.limitTooHigh, ...where });
          if (limit < 1) violations.push({ message: RULE_MESSAGES.limitTooLow, ...where });
          items += multiplier * limit;
          childMultiplier = multiplier * Math.max(limit, 0);
        }
      }
      if (typeof args.start === 'number' && args.start < 0) {
        violations.push({ message: RULE_MESSAGES.startNegative, ...where });
      }
      const named = getNamedType(field.type);
      if (selection.selectionSet && isObjectType(named))
        walk(named, selection.selectionSet, childMultiplier, seen);
    }
  };

  walk(root, operation.selectionSet, 1, new Set());
  if (items > MAX_ITEMS) violations.push({ message: RULE_MESSAGES.tooManyItems(items) });
  return violations;
}
