/**
 * The real-world contracts (Jira REST v3 OpenAPI, Xray Cloud GraphQL SDL), read from
 * `../shared/contracts/` beside the checkout at test time — never copied into the repo.
 *
 * Under CI=true a missing contract fails the run; elsewhere contract-dependent tests skip and say why.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';

export const repoRoot = path.resolve(__dirname, '..', '..');

export const contractsDir =
  process.env.SQAI_CONTRACTS_DIR ?? path.resolve(repoRoot, '..', 'shared', 'contracts');

export const jiraSpecPath = path.join(contractsDir, 'jira', 'jira-platform-rest-v3.openapi.json');
export const xraySchemaPath = path.join(contractsDir, 'xray', 'xray-cloud.graphql');

export function contractsPresent(): boolean {
  return existsSync(jiraSpecPath) && existsSync(xraySchemaPath);
}

/** Why contract tests cannot run, or `undefined` when they can. Throws under CI=true. */
export function contractsMissingReason(): string | undefined {
  if (contractsPresent()) return undefined;
  const reason = `contracts not found at ${contractsDir} (expected jira/jira-platform-rest-v3.openapi.json and xray/xray-cloud.graphql)`;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and ${reason}: contract validation cannot be skipped in CI`);
  }
  return reason;
}

/**
 * `describe` when the contracts are present; otherwise a skipped describe that prints why
 * (and under CI=true, a hard failure).
 */
export function describeWithContracts(name: string, body: () => void): void {
  const reason = contractsMissingReason();
  if (reason) {
    console.warn(`SKIPPED "${name}": ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  } else {
    describe(name, body);
  }
}

export type OpenApiDocument = {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
};

let jiraSpec: OpenApiDocument | undefined;
export function loadJiraSpec(): OpenApiDocument {
  jiraSpec ??= JSON.parse(readFileSync(jiraSpecPath, 'utf8')) as OpenApiDocument;
  return jiraSpec;
}

let xraySchema: GraphQLSchema | undefined;
export function loadXraySchema(): GraphQLSchema {
  xraySchema ??= buildSchema(readFileSync(xraySchemaPath, 'utf8'));
  return xraySchema;
}
