/**
 * The SQAI simulator's contract check: every request it receives and every response it gives is
 * validated against docs/sqai-openapi.yaml (openapi-backend, as the Jira simulator checks Atlassian's
 * spec; with Ajv2020 for OpenAPI 3.1 / JSON Schema 2020-12). JSON Schema's `maxLength` counts code
 * points; the contract's "characters" are UTF-16 code units, never fewer, so what the app's zod schemas
 * accept always passes here.
 *
 * A mismatch is a violation: kept by the simulator, printed, and — under Jest — failing the test that
 * caused it (`registerViolationCheck`), so the app and the simulator cannot drift from the document.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document } from 'openapi-backend';
import { parse } from 'yaml';

export const SQAI_OPENAPI_FILE = path.resolve(__dirname, '..', '..', '..', 'docs', 'sqai-openapi.yaml');

export interface ContractCheck {
  /** The operationId, or undefined when no operation of the document matches. */
  operationId?: string;
  problems: string[];
}

function formatError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const detail =
    typeof params.additionalProperty === 'string'
      ? ` (${params.additionalProperty})`
      : Array.isArray(params.allowedValues)
        ? ` (${params.allowedValues.map(String).join(', ')})`
        : '';
  return `${error.instancePath || '(root)'} ${error.message ?? error.keyword}${detail}`;
}

export interface SqaiContract {
  checkRequest(request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: string;
  }): ContractCheck;
  checkResponse(
    operationId: string,
    response: { status: number; headers: Record<string, string>; body: string },
  ): string[];
  /** A delivery SQAI sends (the `sqaiDelivery` webhook) and the app's answer to it. */
  checkDelivery(
    request: { headers: Record<string, string>; body: string },
    answer: { status: number; body: string },
  ): string[];
}

let contract: Promise<SqaiContract> | undefined;

/** The process-wide contract (the document is read and compiled once). */
export function sqaiContract(): Promise<SqaiContract> {
  contract ??= build();
  return contract;
}

async function build(): Promise<SqaiContract> {
  const definition = parse(readFileSync(SQAI_OPENAPI_FILE, 'utf8')) as Document;
  const api = new OpenAPIBackend({
    definition,
    quick: true,
    strict: false,
    validate: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (_original, ajvOpts) => {
      const ajv = new Ajv2020({ ...ajvOpts, strict: false, allErrors: true });
      addFormats(ajv);
      // OpenAPI's own keywords and this document's extensions are annotations.
      for (const keyword of ['example', 'x-extensible-enum', 'discriminator', 'xml', 'externalDocs'])
        ajv.addKeyword(keyword);
      return ajv;
    },
  });
  await api.init();
  // The webhook is not an operation openapi-backend serves: its schemas are checked with Ajv directly.
  const webhookAjv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(webhookAjv);
  for (const keyword of ['example', 'x-extensible-enum', 'discriminator', 'xml', 'externalDocs'])
    webhookAjv.addKeyword(keyword);
  webhookAjv.addSchema({ ...(definition as object), $id: 'sqai-openapi' });
  const schemaError = (ref: string, value: unknown): string[] => {
    const validate = webhookAjv.getSchema(`sqai-openapi${ref}`);
    if (!validate) return [`no schema ${ref}`];
    return validate(value) ? [] : (validate.errors ?? []).map(formatError);
  };
  const webhook = (definition as { webhooks?: Record<string, { post?: Record<string, unknown> }> }).webhooks
    ?.sqaiDelivery?.post as
    { parameters?: { name: string; schema: unknown }[]; responses?: Record<string, unknown> } | undefined;
  const statusesOf = (operationId: string): string[] =>
    Object.keys(api.getOperation(operationId)?.responses ?? {});

  return {
    checkRequest(request) {
      const operation = api.matchOperation({ method: request.method, path: request.path, headers: {} });
      if (!operation?.operationId) {
        return { problems: [`no operation of the contract is ${request.method} ${request.path}`] };
      }
      const result = api.validateRequest(
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          ...(request.body ? { body: request.body } : {}),
        },
        operation.operationId,
      );
      return {
        operationId: operation.operationId,
        problems: (result.errors ?? []).map(formatError),
      };
    },

    checkResponse(operationId, response) {
      const status = String(response.status);
      const statuses = statusesOf(operationId);
      if (!statuses.includes(status)) {
        return [`status ${status} is not one the contract lists for ${operationId} (${statuses.join(', ')})`];
      }
      const problems: string[] = [];
      const declared = api.getOperation(operationId)?.responses?.[status] as
        { content?: Record<string, unknown>; $ref?: string } | undefined;
      const resolved =
        declared && '$ref' in declared && typeof declared.$ref === 'string'
          ? (
              (definition.components?.responses ?? {}) as Record<
                string,
                { content?: Record<string, unknown> }
              >
            )[declared.$ref.split('/').pop() ?? '']
          : declared;
      const contentTypes = Object.keys(resolved?.content ?? {});
      const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      if (contentTypes.length === 0) {
        if (response.body !== '')
          problems.push(`${operationId} ${status} has a body, the contract says none`);
        return problems;
      }
      if (!contentTypes.includes(type)) {
        problems.push(
          `${operationId} ${status} is ${type || 'without a content type'}, the contract says ${contentTypes.join(', ')}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        return [...problems, `${operationId} ${status} body is not JSON`];
      }
      const result = api.validateResponse(body, operationId, response.status);
      return [...problems, ...(result.errors ?? []).map(formatError)];
    },

    checkDelivery(request, answer) {
      const problems: string[] = [];
      for (const parameter of webhook?.parameters ?? []) {
        const value = request.headers[parameter.name];
        if (value === undefined) problems.push(`delivery header ${parameter.name} is missing`);
        else {
          const validate = webhookAjv.compile(parameter.schema as object);
          if (!validate(value))
            problems.push(
              `delivery header ${parameter.name} ${formatError(validate.errors?.[0] as ErrorObject)}`,
            );
        }
      }
      try {
        problems.push(
          ...schemaError('#/components/schemas/Delivery', JSON.parse(request.body)).map(
            (p) => `delivery body ${p}`,
          ),
        );
      } catch {
        problems.push('delivery body is not JSON');
      }
      const statuses = Object.keys(webhook?.responses ?? {});
      if (!statuses.includes(String(answer.status))) {
        problems.push(
          `the app answered a delivery ${answer.status}, which the contract does not list (${statuses.join(', ')})`,
        );
      } else {
        try {
          problems.push(
            ...schemaError('#/components/schemas/DeliveryAnswer', JSON.parse(answer.body)).map(
              (p) => `delivery answer ${p}`,
            ),
          );
        } catch {
          problems.push(`the app's answer to a delivery (${answer.status}) is not JSON`);
        }
      }
      return problems;
    },
  };
}

/** Violations not yet reported to a test (the Jest hook below reads and clears them). */
const pending: string[] = [];

export function recordViolation(violation: string): void {
  pending.push(violation);
  if (!registered) console.error(`SQAI contract violation: ${violation}`);
}

/** Takes the violations recorded so far (a test that sends invalid requests on purpose takes its own). */
export function takeViolations(): string[] {
  return pending.splice(0, pending.length);
}

let registered = false;

/**
 * Under Jest: after every test of the file, fails it if the SQAI simulator saw a request or gave a
 * response that does not match docs/sqai-openapi.yaml. Called when the simulator module loads (a test
 * file's imports run while Jest collects its tests, where hooks may be added).
 */
export function registerViolationCheck(): void {
  if (registered || typeof afterEach !== 'function') return;
  try {
    afterEach(() => {
      const violations = takeViolations();
      if (violations.length > 0) {
        throw new Error(
          `The SQAI simulator saw ${violations.length} contract violation(s) (docs/sqai-openapi.yaml):\n- ${violations.join('\n- ')}`,
        );
      }
    });
    registered = true;
  } catch {
    // Loaded inside a running test (a lazy import): hooks cannot be added there; violations print.
  }
}
