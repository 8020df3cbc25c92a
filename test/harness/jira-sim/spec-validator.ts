/**
 * Matching and validating Jira requests and responses against Atlassian's OpenAPI spec
 * (../shared/contracts/jira/jira-platform-rest-v3.openapi.json) with openapi-backend + ajv-formats.
 *
 * One OpenAPIBackend per spec document per process (quick mode: ~0.1 s to build; validators compile
 * lazily per operation and stay cached), shared by every simulator instance — tests create many.
 *
 * Known spec errata (the spec disagrees with what Jira sends; validated the way Jira behaves):
 * - getRemoteIssueLinks: the spec's 200 schema is one RemoteIssueLink, but without `globalId` Jira
 *   answers an array of them; each element is validated against the documented schema.
 */
import type { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document, type Operation } from 'openapi-backend';
import type { OpenApiDocument } from '../contracts';

export interface SpecOperation {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  path: string;
  /** The status codes the spec documents for it. */
  statuses: string[];
}

export interface RequestCheck {
  /** Human-readable problems (`/requestBody/maxResults must be integer`). */
  problems: string[];
  /** Whether Jira itself would refuse the request (everything but unknown query parameters). */
  rejected: boolean;
}

export interface SpecValidator {
  match(method: string, pathname: string): SpecOperation | undefined;
  checkRequest(
    operation: SpecOperation,
    request: {
      method: string;
      pathname: string;
      query: string;
      headers: Record<string, string>;
      body?: string;
    },
  ): RequestCheck;
  /** Problems with a response body (already JSON-parsed; `undefined` for an empty body). */
  checkResponse(operation: SpecOperation, status: number, body: unknown): string[];
}

/** `/requestBody/maxResults must be integer`, `/query must NOT have additional properties (bogus)`. */
export function formatAjvError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const params = error.params as Record<string, unknown>;
  const detail =
    typeof params.additionalProperty === 'string'
      ? ` (${params.additionalProperty})`
      : typeof params.missingProperty === 'string' && !error.message?.includes(params.missingProperty)
        ? ` (${params.missingProperty})`
        : Array.isArray(params.allowedValues)
          ? ` (${params.allowedValues.map(String).join(', ')})`
          : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

function toSpecOperation(operation: Operation): SpecOperation {
  return {
    operationId: operation.operationId ?? `${operation.method} ${operation.path}`,
    method: operation.method.toUpperCase(),
    path: operation.path,
    statuses: Object.keys(operation.responses ?? {}),
  };
}

async function build(spec: OpenApiDocument): Promise<SpecValidator> {
  const api = new OpenAPIBackend({
    definition: spec as unknown as Document,
    quick: true,
    strict: false,
    validate: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();

  const responseErrors = (operationId: string, status: number, body: unknown): string[] =>
    (api.validateResponse(body, operationId, status).errors ?? []).map(formatAjvError);

  return {
    match(method, pathname) {
      const operation = api.matchOperation({ method, path: pathname, headers: {} });
      return operation ? toSpecOperation(operation) : undefined;
    },

    checkRequest(operation, request) {
      const result = api.validateRequest(
        {
          method: request.method,
          path: request.pathname,
          query: request.query,
          headers: request.headers,
          ...(request.body !== undefined && request.body !== '' ? { body: request.body } : {}),
        },
        operation.operationId,
      );
      const errors = result.errors ?? [];
      const ignorable = (error: ErrorObject) =>
        error.keyword === 'additionalProperties' && error.instancePath === '/query';
      return { problems: errors.map(formatAjvError), rejected: errors.some((error) => !ignorable(error)) };
    },

    checkResponse(operation, status, body) {
      // A response the spec gives no content (deleteIssueLink's 204) has no body to check.
      const declared = api.getOperation(operation.operationId)?.responses?.[String(status)];
      if (body === undefined && declared && !('content' in declared && declared.content)) return [];
      if (operation.operationId === 'getRemoteIssueLinks' && status === 200 && Array.isArray(body)) {
        return body.flatMap((item: unknown, index) =>
          responseErrors(operation.operationId, status, item).map(
            (problem) => `/${index}${problem.replace(/^\(root\)/, '')}`,
          ),
        );
      }
      return responseErrors(operation.operationId, status, body);
    },
  };
}

const validators = new WeakMap<OpenApiDocument, Promise<SpecValidator>>();

/** The process-wide validator for this spec document (built on first use). */
export function specValidator(spec: OpenApiDocument): Promise<SpecValidator> {
  let validator = validators.get(spec);
  if (!validator) {
    validator = build(spec);
    validators.set(spec, validator);
  }
  return validator;
}
