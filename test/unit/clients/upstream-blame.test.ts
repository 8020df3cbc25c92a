/**
 * Who an upstream failure blames, in the words users read: a Jira 5xx is "Jira Unavailable" (not the
 * app going wrong), an Xray 5xx is Xray's trouble, a 4xx from SQAI names its status and the request
 * that failed (method and path — never a body or the token), a 5xx from SQAI is SQAI's trouble.
 */
import { getProject } from '../../../src/clients/jira';
import { SqaiClient } from '../../../src/clients/sqai';
import { clearXrayTokenCache, XrayClient } from '../../../src/clients/xray/client';
import { Deadline, statusLine } from '../../../src/clients/upstream';
import { AppError, toErrorDto } from '../../../src/errors';
import type { Http, HttpResponse, JiraTransport } from '../../../src/platform/ports';

const TOKEN = 'sqai-token-never-shown-0123456789';

function answer(status: number, body = ''): HttpResponse {
  return { status, headers: { get: () => null }, text: () => Promise.resolve(body) };
}

/** Answers every request with `status` (and `body`), recording "METHOD url". */
function httpAnswering(status: number, body = '', calls: string[] = []): Http {
  return {
    fetch(url, init) {
      calls.push(`${init.method ?? 'GET'} ${url}`);
      return Promise.resolve(answer(status, body));
    },
  };
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const sqai = (http: Http, endpoint = 'https://api.sqai.example') =>
  new SqaiClient({ http }, { endpoint, token: TOKEN }, new Deadline(5_000));

describe('SQAI failures name the request that failed', () => {
  it('a 404 names the status, method and path, and asks whether the endpoint is the API base', async () => {
    const body = JSON.stringify({ error: `no route; your token ${TOKEN} is fine` });
    const error = await failureOf(
      sqai(httpAnswering(404, body), 'https://api.sqai.example/base').createGeneration(
        {
          cloudId: 'c1',
          issueId: '10001',
          issueKey: 'DEMO-1',
          contentHash: 'a'.repeat(64),
          testTypes: [{ name: 'Manual', kind: 'Steps' }],
          maxTests: 3,
        },
        'key-1',
      ),
    );
    const dto = toErrorDto(error, { projectAdmin: true });
    expect(dto.code).toBe('SQAI_REJECTED');
    expect(dto.title).toBe('SQAI Rejected');
    expect(dto.detail).toBe(
      'Failed to ask SQAI for tests for DEMO-1: SQAI answered 404 Not Found for POST /base/v1/generations — is the endpoint URL the API base (e.g. https://api.sqai-suite.com)?',
    );
    expect(JSON.stringify(dto)).not.toMatch(/Failed to reach|no route|sqai-token/);
  });

  it('a 404 on the health check is not "failed to reach"', async () => {
    const dto = toErrorDto(await failureOf(sqai(httpAnswering(404)).health()));
    expect(dto.detail).toBe(
      'Failed to check SQAI at api.sqai.example: SQAI answered 404 Not Found for GET /v1/health — is the endpoint URL the API base (e.g. https://api.sqai-suite.com)?',
    );
    expect(dto.message).not.toMatch(/reach/);
  });

  it('a 401 names the request and blames the token, not the connection', async () => {
    const dto = toErrorDto(await failureOf(sqai(httpAnswering(401)).health()));
    expect(dto.code).toBe('SQAI_UNAUTHORIZED');
    expect(dto.detail).toMatch(
      /SQAI answered 401 Unauthorized for GET \/v1\/health: SQAI rejected the API token\.$/,
    );
  });

  it('another 4xx keeps SQAI’s body out of the words users read', async () => {
    const body = JSON.stringify({ error: 'quota exceeded for tenant acme-secret-tenant' });
    const dto = toErrorDto(
      await failureOf(
        sqai(httpAnswering(422, body)).pushBatch([
          { document: { contentHash: 'h', source: { issueId: '1', issueKey: 'DEMO-1' } }, held: 'nothing' },
        ]),
      ),
    );
    expect(dto.detail).toBe(
      'Failed to send 1 requirements to SQAI: SQAI answered 422 Unprocessable Content for POST /v1/contexts:batch.',
    );
    expect(JSON.stringify(dto)).not.toContain('acme-secret-tenant');
  });

  it('a 503 after the retries blames SQAI, names the request, and asks only to try again', async () => {
    const calls: string[] = [];
    const dto = toErrorDto(await failureOf(sqai(httpAnswering(503, '', calls)).health()), {
      projectAdmin: false,
    });
    expect(calls.length).toBeGreaterThan(1); // retried first
    expect(dto.code).toBe('SQAI_UNREACHABLE');
    expect(dto.detail).toBe(
      'Failed to check SQAI at api.sqai.example: SQAI at api.sqai.example answered 503 Service Unavailable (GET /v1/health).',
    );
    expect(dto.remedy).toBe(
      'Try again in a few minutes: SQAI is having trouble, not the app or its settings.',
    );
  });
});

describe('Jira and Xray server errors blame Jira and Xray', () => {
  it('a Jira 503 after the retries is JIRA_UNAVAILABLE, naming the action and the status', async () => {
    let requests = 0;
    const jira: JiraTransport = {
      request() {
        requests += 1;
        return Promise.resolve(answer(503));
      },
    };
    const error = await failureOf(getProject(jira, 'DEMO', { as: 'app', deadline: new Deadline(10_000) }));
    const dto = toErrorDto(error, { projectAdmin: false });
    expect(requests).toBeGreaterThan(1);
    expect(dto).toMatchObject({
      code: 'JIRA_UNAVAILABLE',
      title: 'Jira Unavailable',
      detail: 'Failed to read project DEMO: Jira answered 503 Service Unavailable.',
    });
    expect(`${dto.message} ${dto.remedy}`).not.toMatch(/inside the app/);
  });

  it('an Xray 503 after the retries blames Xray and asks only to try again', async () => {
    clearXrayTokenCache();
    const xray = new XrayClient(
      { http: httpAnswering(503), now: () => new Date('2026-12-01T00:00:00Z') },
      { clientId: 'id', clientSecret: 'xray-secret-never-shown', region: 'eu' },
      new Deadline(10_000),
    );
    const dto = toErrorDto(await failureOf(xray.token()), { projectAdmin: false });
    expect(dto.code).toBe('XRAY_API_ERROR');
    expect(dto.detail).toBe(
      'Failed to authenticate with Xray (eu): Xray at eu.xray.cloud.getxray.app answered 503 Service Unavailable.',
    );
    expect(dto.remedy).toMatch(/^Try again in a few minutes: Xray is having trouble/);
    expect(JSON.stringify(dto)).not.toContain('xray-secret-never-shown');
  });

  it('names statuses as HTTP does', () => {
    expect(statusLine(404)).toBe('404 Not Found');
    expect(statusLine(503)).toBe('503 Service Unavailable');
    expect(statusLine(599)).toBe('599');
  });
});
