/**
 * `POST {base}/api/v2/graphql` after authentication: parse → validate against Xray's SDL → Xray's
 * limit rules → execute with the stateful resolvers.
 *
 * - A document the schema rejects (syntax, validation, variables) → HTTP 400 `{errors:[{message,
 *   locations}]}`, and every message is recorded in `documentErrors` (prefixed with the first line of
 *   the operation text) so a test suite can assert the app never sent one.
 * - Xray's resource rules (limit 1–100, 10,000 items) → HTTP 200 `{errors:[…]}` with no data,
 *   recorded in `ruleErrors`.
 * - Execution errors → HTTP 200 `{data, errors:[{message, locations, path}]}`, as Xray answers them.
 */
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { z } from 'zod';
import { json, type SimResponse } from '../sim-kit';
import { fieldResolver, type ResolverContext } from './resolvers';
import { checkXrayLimits, selectOperation } from './rules';

const requestSchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export interface GraphqlDeps {
  schema: GraphQLSchema;
  ctx: ResolverContext;
  documentErrors: string[];
  ruleErrors: string[];
}

export interface GraphqlOutcome {
  response: SimResponse;
  operation?: string;
}

const firstLine = (query: string): string =>
  (
    query
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? '(empty document)'
  ).slice(0, 160);

const errorJson = (error: GraphQLError) => ({
  message: error.message,
  ...(error.locations ? { locations: error.locations } : {}),
  ...(error.path ? { path: error.path } : {}),
});

/** The operation's name, else its root fields ("getTests,getTestRuns"). */
function operationLabel(operation: OperationDefinitionNode): string {
  if (operation.name) return operation.name.value;
  return operation.selectionSet.selections
    .map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : '…'))
    .join(',');
}

interface CheckedDocument {
  document?: DocumentNode;
  errors: readonly GraphQLError[];
}

const documentCaches = new WeakMap<GraphQLSchema, Map<string, CheckedDocument>>();

function documentCache(schema: GraphQLSchema): Map<string, CheckedDocument> {
  let cache = documentCaches.get(schema);
  if (!cache) {
    cache = new Map();
    documentCaches.set(schema, cache);
  }
  return cache;
}

export async function runGraphql(body: string | undefined, deps: GraphqlDeps): Promise<GraphqlOutcome> {
  const rejectDocument = (
    query: string,
    errors: readonly GraphQLError[],
    operation?: string,
  ): GraphqlOutcome => {
    for (const error of errors) deps.documentErrors.push(`${firstLine(query)}: ${error.message}`);
    return { response: json(400, { errors: errors.map(errorJson) }), ...(operation ? { operation } : {}) };
  };

  let raw: unknown;
  try {
    raw = JSON.parse(body ?? '');
  } catch {
    return rejectDocument('', [
      new GraphQLError('POST body must be JSON: {"query", "variables"?, "operationName"?}'),
    ]);
  }
  const request = requestSchema.safeParse(raw);
  if (!request.success) return rejectDocument('', [new GraphQLError('Must provide query string.')]);
  const { query, variables, operationName } = request.data;

  // Parsing and validating a document costs more than running it; like real GraphQL servers, the
  // simulator caches the outcome per schema and query text.
  const cache = documentCache(deps.schema);
  let checked = cache.get(query);
  if (!checked) {
    try {
      const parsed = parse(query);
      checked = { document: parsed, errors: validate(deps.schema, parsed) };
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      checked = { errors: [error] };
    }
    if (cache.size > 500) cache.clear();
    cache.set(query, checked);
  }
  if (!checked.document || checked.errors.length > 0) return rejectDocument(query, checked.errors);
  const document = checked.document;

  const operation = selectOperation(document, operationName);
  if (!operation) {
    const message = operationName
      ? `Unknown operation named "${operationName}".`
      : 'Must provide operation name if query contains multiple operations.';
    return rejectDocument(query, [new GraphQLError(message)]);
  }
  const label = operationLabel(operation);
  const coerced = getVariableValues(deps.schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return rejectDocument(query, coerced.errors, label);

  const violations = checkXrayLimits(deps.schema, document, operation, coerced.coerced);
  if (violations.length > 0) {
    for (const violation of violations) deps.ruleErrors.push(`${firstLine(query)}: ${violation.message}`);
    return { response: json(200, { errors: violations }), operation: label };
  }

  const result = await execute({
    schema: deps.schema,
    document,
    contextValue: deps.ctx,
    variableValues: variables ?? {},
    ...(operationName ? { operationName } : {}),
    fieldResolver,
  });
  return {
    response: json(200, {
      data: result.data ?? null,
      ...(result.errors?.length ? { errors: result.errors.map(errorJson) } : {}),
    }),
    operation: label,
  };
}
