/**
 * `npm run docs:openapi` (`tsx scripts/export-sqai-openapi.ts`): writes docs/sqai-openapi.yaml, the
 * SQAI contract as OpenAPI 3.1. Its components are generated from the zod schemas the app validates
 * with (src/clients/sqai-schemas.ts, src/context/schema.ts, src/webtrigger/delivery-schema.ts): one
 * source of truth. The operations, headers and answers are written here, once. A unit test fails
 * when the file is stale, another lints it (@redocly/openapi-core), and the SQAI simulator validates
 * every request and response against it (test/harness/sqai-sim/contract.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import {
  batchRequestSchema,
  batchResultSchema,
  changedCriterionSchema,
  batchResponseSchema,
  CLASSIFY_LIMITS,
  classifyCriterionSchema,
  classifyRequestSchema,
  classifyResponseSchema,
  classifyResultSchema,
  classifySuggestionSchema,
  classifyTestSchema,
  contextWriteResultSchema,
  createGenerationResponseSchema,
  GENERATION_STATUSES,
  generatedStepSchema,
  generatedTestSchema,
  generationRequestSchema,
  generationSchema,
  healthResponseSchema,
  PROBLEM_TYPES,
  problemSchema,
  problemTypeOf,
  purgeAcceptedSchema,
  SQAI_CONTRACT_LIMITS,
  SQAI_CONTRACT_VERSION,
  staleReasonSchema,
  testToUpdateSchema,
  testTypeRefSchema,
  testUpdateRequestSchema,
  testUpdateSchema,
  type ProblemCode,
} from '../src/clients/sqai-schemas';
import { contextDocumentSchema, CONTEXT_SCHEMA_ID } from '../src/context/schema';
import {
  deliveryAnswerSchema,
  deliveryHeadersSchema,
  deliverySchema,
} from '../src/webtrigger/delivery-schema';

export const OPENAPI_FILE = path.join(__dirname, '..', 'docs', 'sqai-openapi.yaml');

type Json = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The components, from the zod schemas (nested registered schemas become `$ref`s). */
function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  const entries: [string, z.ZodType][] = [
    ['ContextDocument', contextDocumentSchema],
    ['ContextWriteResult', contextWriteResultSchema],
    ['ContextBatch', batchRequestSchema],
    ['ContextBatchResult', batchResultSchema],
    ['ContextBatchResults', batchResponseSchema],
    ['TestTypeRef', testTypeRefSchema],
    ['GenerationRequest', generationRequestSchema],
    ['GenerationCreated', createGenerationResponseSchema],
    ['Generation', generationSchema],
    ['GeneratedTest', generatedTestSchema],
    ['GeneratedStep', generatedStepSchema],
    ['TestUpdateRequest', testUpdateRequestSchema],
    ['ChangedCriterion', changedCriterionSchema],
    ['StaleReason', staleReasonSchema],
    ['TestToUpdate', testToUpdateSchema],
    ['TestUpdate', testUpdateSchema],
    ['ClassifyRequest', classifyRequestSchema],
    ['ClassifyCriterion', classifyCriterionSchema],
    ['ClassifyTest', classifyTestSchema],
    ['ClassifyResponse', classifyResponseSchema],
    ['ClassifyResult', classifyResultSchema],
    ['ClassifySuggestion', classifySuggestionSchema],
    ['Health', healthResponseSchema],
    ['PurgeAccepted', purgeAcceptedSchema],
    ['Problem', problemSchema],
    ['Delivery', deliverySchema],
    ['DeliveryAnswer', deliveryAnswerSchema],
  ];
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    // Answers are described as SQAI may send them (the app reads the input side of its parsers).
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, Json> = {};
  for (const [id] of entries) {
    const { $schema: _dialect, $id: _id, ...schema } = schemas[id] as Json;
    out[id] = schema;
  }
  // `tests` and `updates` are read as unknown items (each is checked on its own), but what SQAI
  // sends is GeneratedTest and TestUpdate.
  const items = { tests: 'GeneratedTest', updates: 'TestUpdate' } as const;
  for (const [field, id] of Object.entries(items)) {
    const property = (out.Generation?.properties as Record<string, { anyOf?: Json[] }> | undefined)?.[field];
    const array = property?.anyOf?.find((option) => option.type === 'array');
    if (!array) throw new Error(`Generation.${field} is no longer a nullable array: update the export`);
    array.items = ref(id);
  }
  // The same in a delivery of a succeeded generation.
  for (const branch of (out.Delivery?.oneOf as Json[] | undefined) ?? []) {
    const data = (branch.properties as Record<string, Json> | undefined)?.data;
    for (const [field, id] of Object.entries(items)) {
      const delivered = (data?.properties as Record<string, Json> | undefined)?.[field];
      if (delivered?.type === 'array') delivered.items = ref(id);
      const array = (delivered?.anyOf as Json[] | undefined)?.find((option) => option.type === 'array');
      if (array) array.items = ref(id);
    }
  }
  return out;
}

const problemResponse = (description: string, codes: ProblemCode[], extraHeaders: Json = {}) => ({
  description: `${description}${codes.length > 0 ? ` Problem types: ${codes.map((code) => `\`${code}\``).join(', ')}.` : ''}`,
  headers: extraHeaders,
  content: {
    'application/problem+json': {
      schema: ref('Problem'),
      ...(codes[0]
        ? {
            example: {
              type: problemTypeOf(codes[0]),
              title: PROBLEM_TYPES[codes[0]].title,
              status: PROBLEM_TYPES[codes[0]].status,
            },
          }
        : {}),
    },
  },
});

const retryHeaders = {
  'Retry-After': { $ref: '#/components/headers/RetryAfter' },
  RateLimit: { $ref: '#/components/headers/RateLimit' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
};

/** The answers every operation may give. */
const common = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '429': { $ref: '#/components/responses/TooManyRequests' },
  '503': { $ref: '#/components/responses/Unavailable' },
};

const json = (schema: Json, example?: unknown) => ({
  'application/json': { schema, ...(example === undefined ? {} : { example }) },
});

const HASH = 'a3f1c9d2e4b5a6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1';

/** Several named examples of one media type (OpenAPI 3.1 Media Type `examples`). */
const jsonExamples = (schema: Json, examples: Record<string, { summary: string; value: unknown }>) => ({
  'application/json': { schema, examples },
});

const CLOUD_ID = '6b8e2f3a-1c4d-4e5f-8a9b-0c1d2e3f4a5b';

/** Update mode (1.3.0): criterion 2 changed, criterion 3 was removed, criterion 4 is new. */
const UPDATE_REQUEST_EXAMPLE = {
  cloudId: CLOUD_ID,
  issueId: '10101',
  issueKey: 'DEMO-1',
  contentHash: HASH,
  testTypes: [
    { name: 'Manual', kind: 'Steps' },
    { name: 'Cucumber', kind: 'Gherkin' },
  ],
  maxTests: 5,
  mode: 'updates',
  updates: {
    changedCriteria: [
      {
        id: 'ac-91b0d7e2',
        before: 'A refund is possible within 30 days',
        after: 'A refund is possible within 14 days',
      },
      { id: 'ac-5c7d1e09', before: 'Refunds are paid by cheque', after: null },
      { id: 'ac-0e4f8a63', before: null, after: 'A refund is confirmed by e-mail' },
    ],
    tests: [
      {
        key: 'DEMO-7',
        summary: 'Refund inside the return window',
        testType: { name: 'Manual', kind: 'Steps' },
        criterionIds: ['ac-91b0d7e2'],
        reasons: [{ kind: 'criterionChanged', criterionId: 'ac-91b0d7e2' }],
        steps: [
          { action: 'Buy an item', data: null, result: 'The order is placed' },
          {
            action: 'Ask for a refund after 29 days',
            data: null,
            result: 'A refund is possible within 30 days',
          },
        ],
      },
      {
        key: 'DEMO-8',
        summary: 'Refund by cheque',
        testType: { name: 'Manual', kind: 'Steps' },
        criterionIds: ['ac-5c7d1e09'],
        reasons: [{ kind: 'criterionRemoved', criterionId: 'ac-5c7d1e09' }],
        steps: [{ action: 'Ask for a refund', data: null, result: 'A cheque is sent' }],
      },
      {
        key: 'DEMO-9',
        summary: 'Checkout smoke test',
        testType: { name: 'Cucumber', kind: 'Gherkin' },
        criterionIds: [],
        reasons: [{ kind: 'requirementChanged' }],
        gherkin: 'Scenario: Checkout\n  Given a basket\n  When the shopper pays\n  Then the order is placed',
      },
    ],
  },
};

/** The answer to UPDATE_REQUEST_EXAMPLE: one verdict per test, and a new test for the new criterion. */
const UPDATE_ANSWER_EXAMPLE = {
  id: 'gen-00002',
  status: 'succeeded',
  updates: [
    {
      testKey: 'DEMO-7',
      verdict: 'update',
      steps: [
        { action: 'Buy an item', data: null, result: 'The order is placed' },
        {
          action: 'Ask for a refund after 13 days',
          data: null,
          result: 'A refund is possible within 14 days',
        },
      ],
      reason: 'Criterion changed: "within 30 days" → "within 14 days"',
      criterionIds: ['ac-91b0d7e2'],
    },
    {
      testKey: 'DEMO-8',
      verdict: 'obsolete',
      reason: 'Criterion removed: "Refunds are paid by cheque"',
    },
    { testKey: 'DEMO-9', verdict: 'valid', reason: 'The checkout it tests did not change.' },
  ],
  tests: [
    {
      id: 'gt-4f1a2b3c',
      title: 'DEMO-1: verify a refund is confirmed by e-mail',
      testType: 'Manual',
      steps: [{ action: 'Ask for a refund', result: 'A confirmation e-mail arrives' }],
      criterionIds: ['ac-0e4f8a63'],
    },
  ],
};

export function sqaiOpenApi(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'SQAI API for SQAI Connector for Xray',
      version: SQAI_CONTRACT_VERSION,
      summary: 'What the Forge app calls on an SQAI Suite endpoint, and what SQAI delivers to the app.',
      description: [
        'The contract between the SQAI Connector for Xray (a Forge app) and an SQAI Suite endpoint. The',
        'guide is docs/sqai-contract.md; this file is generated by `npm run docs:openapi` from the zod',
        'schemas the app validates with — do not edit it by hand.',
        '',
        `Context documents are \`${CONTEXT_SCHEMA_ID}\`. Consumers ignore unknown fields and read an`,
        'unknown enum value as its documented fallback (`x-extensible-enum`). "Characters" are UTF-16 code',
        'units. Every error answer is RFC 9457 problem details.',
      ].join('\n'),
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      contact: { name: 'SQAI Connector for Xray maintainers' },
    },
    servers: [
      {
        url: 'https://api.sqai-suite.com',
        description: 'The endpoint a project admin enters on the settings page (any https URL).',
      },
    ],
    security: [{ sqaiToken: [] }],
    tags: [
      { name: 'health', description: 'The settings page’s connection check.' },
      { name: 'contexts', description: 'Requirement context documents: write, batch, delete, purge.' },
      { name: 'generations', description: 'Test generation: start, poll.' },
      { name: 'coverage', description: 'Which acceptance criterion each existing test proves.' },
    ],
    paths: {
      '/v1/health': {
        get: {
          operationId: 'getHealth',
          tags: ['health'],
          summary: 'Checks the endpoint and the token',
          description:
            'Requires the token like every operation (a wrong token is 401, so the connection check proves the token too).',
          responses: {
            '200': {
              description: 'Up, and the token is accepted.',
              content: json(ref('Health'), { status: 'ok', contractVersion: SQAI_CONTRACT_VERSION }),
            },
            ...common,
          },
        },
      },
      '/v1/contexts/{cloudId}/{issueId}': {
        parameters: [
          { $ref: '#/components/parameters/CloudId' },
          { $ref: '#/components/parameters/IssueId' },
        ],
        put: {
          operationId: 'putContext',
          tags: ['contexts'],
          summary: 'Writes one requirement’s context document (a conditional request)',
          description: [
            'RFC 9110 §13.1 conditional request: exactly one of `If-Match: "<contentHash SQAI holds>"` (replace that',
            'version) or `If-None-Match: *` (create; SQAI must hold none). The ETag of a context is its `contentHash`',
            'as a strong entity tag. When SQAI already holds the content being written, the answer is 200 `unchanged`',
            'whatever the precondition (RFC 9110 §13.1.1: a change already applied may be answered 2xx) — a retry',
            'after a lost answer succeeds. Otherwise a failed precondition is 412 with the ETag SQAI holds; the',
            'first write to arrive wins and the other is never applied blindly (docs/sqai-contract.md "Which version wins").',
            '`source.cloudId` and `source.issueId` must equal the path (else 403 / 422).',
          ].join('\n'),
          parameters: [
            { $ref: '#/components/parameters/IfMatch' },
            { $ref: '#/components/parameters/IfNoneMatch' },
          ],
          requestBody: { required: true, content: json(ref('ContextDocument')) },
          responses: {
            '200': {
              description:
                '`updated` (replaced the version If-Match named) or `unchanged` (SQAI already held this content).',
              headers: { ETag: { $ref: '#/components/headers/ETag' } },
              content: json(ref('ContextWriteResult'), {
                issueId: '10101',
                contentHash: HASH,
                status: 'updated',
              }),
            },
            '201': {
              description: '`created` (If-None-Match: * and SQAI held none).',
              headers: { ETag: { $ref: '#/components/headers/ETag' } },
              content: json(ref('ContextWriteResult'), {
                issueId: '10101',
                contentHash: HASH,
                status: 'created',
              }),
            },
            '400': problemResponse('The body is not JSON.', ['invalid-request']),
            ...common,
            '403': problemResponse(
              'The token is bound to another site, or the document’s source is another site’s.',
              ['wrong-tenant'],
            ),
            '412': problemResponse(
              'SQAI holds another version (or one, for If-None-Match: *). Nothing was written.',
              ['precondition-failed'],
              {
                ETag: { $ref: '#/components/headers/ETag' },
              },
            ),
            '413': problemResponse(
              `The body is over ${SQAI_CONTRACT_LIMITS.documentBytes} bytes (a document’s limit).`,
              ['content-too-large'],
            ),
            '422': problemResponse(
              'The document does not match its schema, or its source.issueId is not the path’s.',
              ['invalid-document'],
            ),
            '428': problemResponse('Neither If-Match nor If-None-Match was sent.', ['precondition-required']),
          },
        },
        delete: {
          operationId: 'deleteContext',
          tags: ['contexts'],
          summary: 'Forgets one requirement (its context and generations)',
          description:
            'Sent when the issue is deleted, moved out of the project, no longer visible to the app, or sync is turned off. Idempotent: 204 whether or not SQAI held it.',
          responses: {
            '204': { description: 'SQAI holds nothing for the issue any more.' },
            ...common,
            '403': problemResponse('The token is bound to another site.', ['wrong-tenant']),
          },
        },
      },
      '/v1/contexts:batch': {
        post: {
          operationId: 'putContextsBatch',
          tags: ['contexts'],
          summary: 'Writes up to 50 context documents (the scheduled sync)',
          description: [
            `At most ${SQAI_CONTRACT_LIMITS.batchDocuments} items and ${SQAI_CONTRACT_LIMITS.requestBodyBytes} bytes (4 MiB) of body.`,
            'Each item is one conditional write, with the same rules as PUT (`ifMatch` / `ifNoneMatch`). The answer',
            'is 200 with one result per item, in order, each echoing the issueId and contentHash it refers to; a',
            'failed item carries an RFC 9457 problem (and, for precondition-failed, `currentContentHash`). Items',
            'are independent: one failing does not fail the others.',
          ].join('\n'),
          requestBody: { required: true, content: json(ref('ContextBatch')) },
          responses: {
            '200': {
              description: 'One result per item.',
              content: json(ref('ContextBatchResults'), {
                results: [
                  { issueId: '10101', contentHash: HASH, status: 'created' },
                  {
                    issueId: '10102',
                    contentHash: HASH,
                    status: 'failed',
                    problem: { type: problemTypeOf('precondition-failed'), status: 412 },
                  },
                ],
              }),
            },
            '400': problemResponse('The body is not JSON, or not {"items": […]} with 1–50 items.', [
              'invalid-request',
            ]),
            ...common,
            '413': problemResponse('The body is over 4 MiB. Nothing was written: split the batch.', [
              'content-too-large',
            ]),
          },
        },
      },
      '/v1/tenants/{cloudId}': {
        parameters: [{ $ref: '#/components/parameters/CloudId' }],
        delete: {
          operationId: 'purgeTenant',
          tags: ['contexts'],
          summary: 'Forgets everything of a site (the app was uninstalled)',
          description:
            'Deletes every context and generation SQAI holds for the cloudId, then revokes nothing by itself (the token’s owner does). Idempotent; may finish after the answer (within 24 hours).',
          responses: {
            '202': {
              description: 'Purge accepted.',
              content: json(ref('PurgeAccepted'), { status: 'accepted' }),
            },
            ...common,
            '403': problemResponse('The token is bound to another site.', ['wrong-tenant']),
          },
        },
      },
      '/v1/tenants/{cloudId}/projects/{projectId}': {
        parameters: [
          { $ref: '#/components/parameters/CloudId' },
          {
            name: 'projectId',
            in: 'path',
            required: true,
            description: 'The Jira project id (digits).',
            schema: { type: 'string', pattern: '^\\d{1,18}$' },
          },
        ],
        delete: {
          operationId: 'purgeProject',
          tags: ['contexts'],
          summary: 'Forgets everything of one project (it was disconnected)',
          description:
            'Deletes every context (by `source.project.id`) and generation SQAI holds for the project. Idempotent; may finish after the answer (within 24 hours).',
          responses: {
            '202': {
              description: 'Purge accepted.',
              content: json(ref('PurgeAccepted'), { status: 'accepted', deleted: 12 }),
            },
            ...common,
            '403': problemResponse('The token is bound to another site.', ['wrong-tenant']),
          },
        },
      },
      '/v1/generations': {
        post: {
          operationId: 'createGeneration',
          tags: ['generations'],
          summary: 'Starts generating tests for a requirement',
          description: [
            'Idempotent by `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): a retry with the same key',
            'and the same body gets the first answer again (the same generation id) — no second generation; the',
            `same key with another body is 422 \`idempotency-key-reused\`; a key still being processed is 409`,
            `\`idempotency-key-in-use\`. Keys are kept ${SQAI_CONTRACT_LIMITS.idempotencyKeyHours} hours. SQAI must hold the context`,
            'with `contentHash` (else 409 `context-not-pushed`).',
            '',
            'Since 1.3.0, `mode: "updates"` with `updates` reviews existing tests after criteria changed: the answer',
            'gives one `TestUpdate` per test (`update` with new content, `obsolete`, or `valid`) and new tests for new',
            'criteria (docs/sqai-contract.md "Update mode"). A test is never deleted.',
          ].join('\n'),
          parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }],
          requestBody: {
            required: true,
            content: jsonExamples(ref('GenerationRequest'), {
              tests: {
                summary: 'New tests for the requirement',
                value: {
                  cloudId: CLOUD_ID,
                  issueId: '10101',
                  issueKey: 'DEMO-1',
                  contentHash: HASH,
                  testTypes: [
                    { name: 'Manual', kind: 'Steps' },
                    { name: 'Cucumber', kind: 'Gherkin' },
                  ],
                  maxTests: 10,
                },
              },
              updates: {
                summary: 'Update mode (1.3.0): review existing tests after criteria changed',
                value: UPDATE_REQUEST_EXAMPLE,
              },
            }),
          },
          responses: {
            '202': {
              description: 'Started (or the first answer to this Idempotency-Key, replayed).',
              content: json(ref('GenerationCreated'), { id: 'gen-00001' }),
            },
            '400': problemResponse('The body is not a generation request, or Idempotency-Key is missing.', [
              'invalid-request',
            ]),
            ...common,
            '403': problemResponse('The token is bound to another site than `cloudId`.', ['wrong-tenant']),
            '409': problemResponse('SQAI holds no context with this contentHash, or the key is in use.', [
              'context-not-pushed',
              'idempotency-key-in-use',
            ]),
            '413': problemResponse('The body is over 4 MiB.', ['content-too-large']),
            '422': problemResponse('This Idempotency-Key came with another body.', [
              'idempotency-key-reused',
            ]),
          },
        },
      },
      '/v1/generations/{id}': {
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', minLength: 1, maxLength: 100 },
          },
        ],
        get: {
          operationId: 'getGeneration',
          tags: ['generations'],
          summary: 'Polls a generation',
          description: `At most ${SQAI_CONTRACT_LIMITS.generationAnswerBytes} bytes (2 MiB); a larger answer is refused unread. Statuses: ${GENERATION_STATUSES.join(', ')}.`,
          responses: {
            '200': {
              description: 'The generation.',
              content: jsonExamples(ref('Generation'), {
                running: {
                  summary: 'Not finished: keep polling',
                  value: { id: 'gen-00001', status: 'running' },
                },
                updates: {
                  summary: 'An update-mode generation that succeeded (1.3.0)',
                  value: UPDATE_ANSWER_EXAMPLE,
                },
              }),
            },
            ...common,
            '404': problemResponse('No such generation for this token’s site.', ['not-found']),
          },
        },
      },
      '/v1/coverage:classify': {
        post: {
          operationId: 'classifyCoverage',
          tags: ['coverage'],
          summary: 'Suggests which acceptance criteria existing tests prove (since 1.1.0)',
          description: [
            'For tests that carry no criterion ids (written by people, or generated before 1.1.0): the requirement’s',
            `criteria (at most ${CLASSIFY_LIMITS.criteria}) and the tests with their steps, Gherkin or definition (at most`,
            `${CLASSIFY_LIMITS.tests}). The answer is one result per test, in order, named by key, with the criteria it likely`,
            'proves and a confidence (0–1), most confident first; no suggestion when it proves none. Only ids of the',
            'request’s criteria may be suggested (the app drops any other). A read: nothing is stored, and the same',
            'request may be sent again. The app shows suggestions as *suggested* until a user confirms them.',
          ].join('\n'),
          requestBody: {
            required: true,
            content: json(ref('ClassifyRequest'), {
              cloudId: '6b8e2f3a-1c4d-4e5f-8a9b-0c1d2e3f4a5b',
              issueId: '10101',
              issueKey: 'DEMO-1',
              criteria: [
                { id: 'ac-3f2a9c41', text: 'A locked account shows a message after three failed attempts' },
                { id: 'ac-91b0d7e2', text: 'The reset link expires after 24 hours' },
              ],
              tests: [
                {
                  key: 'DEMO-7',
                  summary: 'Lock-out after failed logins',
                  testType: { name: 'Manual', kind: 'Steps' },
                  steps: [
                    { action: 'Log in with a wrong password three times', result: 'The account is locked' },
                  ],
                },
              ],
            }),
          },
          responses: {
            '200': {
              description: 'One result per test.',
              content: json(ref('ClassifyResponse'), {
                results: [
                  { testKey: 'DEMO-7', suggestions: [{ criterionId: 'ac-3f2a9c41', confidence: 0.82 }] },
                ],
              }),
            },
            '400': problemResponse('The body is not a classification request.', ['invalid-request']),
            ...common,
            '403': problemResponse('The token is bound to another site than `cloudId`.', ['wrong-tenant']),
            '413': problemResponse('The body is over 4 MiB.', ['content-too-large']),
          },
        },
      },
    },
    webhooks: {
      sqaiDelivery: {
        post: {
          operationId: 'deliverGeneration',
          summary: 'SQAI delivers a finished generation to the app’s web trigger (Standard Webhooks)',
          description:
            'Signed with the project’s secret by Standard Webhooks 1.0.0 (no bearer token). docs/sqai-contract.md "Deliveries" states the signature, secret rotation, retries and every answer.',
          security: [],
          parameters: Object.entries(
            (z.toJSONSchema(deliveryHeadersSchema, { target: 'draft-2020-12', io: 'input' }) as Json)
              .properties as Record<string, Json>,
          ).map(([name, schema]) => {
            const { description, example, ...rest } = schema;
            return { name, in: 'header', required: true, description, example, schema: rest };
          }),
          requestBody: { required: true, content: json(ref('Delivery')) },
          responses: Object.fromEntries(
            (
              [
                ['200', 'Already handled (duplicate id, already received) or an event type the app ignores.'],
                ['202', 'Stored.'],
                ['400', 'Not JSON, or not a valid delivery.'],
                ['401', 'Not authenticated (headers, timestamp, or signature).'],
                ['403', 'Another site’s generation.'],
                ['404', 'No generation with this id is waiting for the issue.'],
                ['405', 'Not a POST.'],
                ['409', 'The project is not connected any more.'],
                ['413', 'Over 1 MB.'],
                ['500', 'Unexpected failure; retry.'],
                ['503', 'Jira or Xray could not be read; retry after Retry-After.'],
              ] as const
            ).map(([status, description]) => [
              status,
              {
                description,
                ...(status === '503'
                  ? { headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } }
                  : {}),
                content: json(ref('DeliveryAnswer')),
              },
            ]),
          ),
        },
      },
    },
    components: {
      securitySchemes: {
        sqaiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The project’s SQAI API token (Forge secret storage). SQAI binds a token to one Jira site (cloudId): a path, document or request naming another site is 403 `wrong-tenant`.',
        },
      },
      parameters: {
        CloudId: {
          name: 'cloudId',
          in: 'path',
          required: true,
          description: 'The Jira site’s cloudId; must be the token’s.',
          schema: { type: 'string', minLength: 1, maxLength: 100 },
        },
        IssueId: {
          name: 'issueId',
          in: 'path',
          required: true,
          description: 'The Jira issue id.',
          schema: { type: 'string', pattern: '^\\d{1,18}$' },
        },
        IfMatch: {
          name: 'If-Match',
          in: 'header',
          required: false,
          description:
            'RFC 9110 §13.1.1: `"<contentHash>"` (a strong entity tag) of the version SQAI is expected to hold.',
          schema: { type: 'string', pattern: '^"[0-9a-f]{64}"$' },
        },
        IfNoneMatch: {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description: 'RFC 9110 §13.1.2: `*` — write only if SQAI holds no context for the issue.',
          schema: { type: 'string', const: '*' },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: true,
          description:
            'A new UUID per generation the user asks for; the same on every retry of that request (the app stores it).',
          schema: { type: 'string', minLength: 8, maxLength: 255 },
        },
      },
      headers: {
        ETag: {
          description: 'The contentHash SQAI holds, as a strong entity tag: `"<contentHash>"`.',
          schema: { type: 'string', pattern: '^"[0-9a-f]{64}"$' },
        },
        RetryAfter: {
          description: 'RFC 9110 §10.2.3: seconds (or an HTTP date) to wait.',
          schema: { type: 'string' },
        },
        RateLimit: {
          description:
            'draft-ietf-httpapi-ratelimit-headers: `"<policy>";r=<remaining>;t=<seconds until reset>`. With r=0 the app sends nothing before t seconds.',
          schema: { type: 'string' },
        },
        RateLimitPolicy: {
          description: 'draft-ietf-httpapi-ratelimit-headers: `"<policy>";q=<quota>;w=<window seconds>`.',
          schema: { type: 'string' },
        },
      },
      responses: {
        Unauthorized: problemResponse('The token is missing, wrong or revoked.', ['unauthorized']),
        TooManyRequests: problemResponse(
          'Slow down: wait Retry-After (the app retries within its time budget).',
          ['rate-limited'],
          retryHeaders,
        ),
        Unavailable: problemResponse('Transient: the app retries with backoff.', ['unavailable'], {
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
        }),
      },
      schemas: componentSchemas(),
    },
  };
}

/** The file's text: YAML as Prettier formats it (`npm run lint` checks every file with Prettier). */
export async function renderSqaiOpenApi(): Promise<string> {
  const yaml = `# Generated by \`npm run docs:openapi\` (scripts/export-sqai-openapi.ts) from the app's zod schemas.\n# Do not edit: change the schemas or the script. Guide: docs/sqai-contract.md.\n${stringify(sqaiOpenApi(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
  // Loaded here, not at the top: Prettier cannot load inside Jest, which imports this module.
  const prettier = await import('prettier');
  return prettier.format(yaml, { ...(await prettier.resolveConfig(OPENAPI_FILE)), parser: 'yaml' });
}

/**
 * `--check`: exits 1 when docs/sqai-openapi.yaml is not what the schemas make (the unit test runs
 * this in a process of its own: Prettier's formatter cannot load inside Jest).
 */
if (require.main === module) {
  const check = process.argv.includes('--check');
  renderSqaiOpenApi()
    .then((text) => {
      if (check) {
        const stale = readFileSync(OPENAPI_FILE, 'utf8') !== text;
        console.log(stale ? 'STALE: run `npm run docs:openapi`' : 'up to date');
        process.exit(stale ? 1 : 0);
      }
      writeFileSync(OPENAPI_FILE, text);
      console.log(`Wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(2);
    });
}
