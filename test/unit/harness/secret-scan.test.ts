/**
 * The suite-wide secret scan (test/harness/secret-scan.ts, run after every unit test by
 * test/setup/secret-scan.ts) finds what it is meant to find: a configured secret in a log line, in
 * a resolver answer as base64, in a Jira request, in a document sent to SQAI — and lets through
 * only each credential's own service. Leaks made on purpose here are consumed with
 * `takeFindings()`, so the global afterEach does not fail these tests.
 */
import { deliveryWebtrigger } from '../../../src/index';
import type { RotatedDeliverySecretDto } from '../../../src/api';
import { describeWithContracts } from '../../harness/contracts';
import { data, demoSettings } from '../../harness/demo-settings';
import fc from 'fast-check';
import { encodingsOf, SecretScanRegistry, secretScan, type Finding } from '../../harness/secret-scan';
import { createWorld, DEMO, type World } from '../../harness/world';
import { createCapturingLog, MemorySecretStore } from '../../harness/local-platform';
import { takeViolations } from '../../harness/sqai-sim/contract';

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function connected(): Promise<World> {
  const world = createWorld();
  data(await world.invoke('saveSettings', demoSettings('enterprise')));
  return world;
}

function xrayJwt(world: World): string {
  const raw = world.platform.secrets.data.get(`secret:${DEMO.project.id}:xray-token`);
  const parsed: unknown = JSON.parse(raw ?? '{}');
  const token = (parsed as { token?: unknown }).token;
  if (typeof token !== 'string') throw new Error('no cached Xray token');
  return token;
}

const summary = (findings: Finding[]) =>
  findings.map((finding) => `${finding.kind} | ${finding.encoding} | ${finding.channel}`).sort();

describe('secret scan: encodings', () => {
  it('finds a secret base64-encoded inside a longer value at every byte alignment', () => {
    const secret = 'demo-client-secret-value';
    const forms = encodingsOf(secret);
    for (const prefix of ['', 'a', 'ab', 'DEMO-CLIENT-ID:']) {
      for (const suffix of ['', 'x', 'xy', ':tail']) {
        const encoded = b64(`${prefix}${secret}${suffix}`);
        const url = Buffer.from(`${prefix}${secret}${suffix}`).toString('base64url');
        expect(forms.some((form) => form.encoding === 'base64' && encoded.includes(form.text))).toBe(true);
        // Identical to a base64 form when the encoding has no '+' or '/'.
        expect(forms.some((form) => form.encoding.startsWith('base64') && url.includes(form.text))).toBe(
          true,
        );
      }
    }
  });

  it('copes with a secret that is not well-formed UTF-16 (a lone surrogate)', () => {
    const forms = encodingsOf('lone-\ud800-surrogate');
    expect(forms.map((form) => form.encoding)).toEqual(expect.arrayContaining(['raw', 'JSON-escaped']));
  });

  it('has URL-, form- and JSON-escaped forms where they differ from the raw value', () => {
    const forms = encodingsOf('tok/en+with "quotes" & spaces >>>???');
    expect(forms.map((form) => form.encoding)).toEqual(
      expect.arrayContaining(['raw', 'JSON-escaped', 'URL-encoded', 'form-encoded', 'base64', 'base64url']),
    );
  });
});

describe('secret scan: the search', () => {
  it('finds exactly what a naive search finds, with hundreds of secrets, at every position', () => {
    // A small alphabet, so secrets overlap each other and the text around them.
    const chars = fc.constantFrom(...'ab-_/+=% é'.split(''), '\ud800');
    const secret = fc.string({ unit: chars, minLength: 1, maxLength: 14 });
    let hits = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(secret, { minLength: 1, maxLength: 200 }),
        fc.array(fc.array(fc.tuple(fc.nat(60), fc.string({ unit: chars, maxLength: 6 })), { maxLength: 6 }), {
          maxLength: 8,
        }),
        (secrets, shapes) => {
          const registry = new SecretScanRegistry();
          registry.enable();
          for (const value of secrets) registry.addSecret('stored secret', value);
          const needles = secrets.filter((value) => value.length >= 8).flatMap((value) => encodingsOf(value));
          // Texts made of secrets in some encoding and filler, secrets first, last and alone.
          const texts = shapes.map((parts) =>
            parts
              .map(
                ([pick, filler]) =>
                  `${filler}${needles.length ? (needles[pick % needles.length]?.text ?? '') : ''}`,
              )
              .join(''),
          );
          texts.forEach((text, index) => registry.recordResponse(`resolver r${index}`, text));
          const found = registry
            .scan()
            .map((finding) => `${finding.where} ${finding.encoding}`)
            .sort();
          const expected = new Set<string>();
          texts.forEach((text, index) => {
            for (const needle of needles) {
              if (text.includes(needle.text))
                expected.add(`resolver r${index} (answer, handler call #${index + 1}) ${needle.encoding}`);
            }
          });
          expect(found).toEqual([...expected].sort());
          hits += found.length;
        },
      ),
      { numRuns: 200 },
    );
    expect(hits).toBeGreaterThan(200);
  });
});

describe('secret scan: what each test is scanned for', () => {
  // Found by a fresh seed: a secret the payload fuzzer saved in one test (an arbitrary string such as
  // "constructor") was still looked for in the next test's answers, and whether it was depended on
  // when the garbage collector freed the earlier world.
  const registry = () => {
    const scan = new SecretScanRegistry();
    scan.enable();
    return scan;
  };

  it("forgets a test's own secrets and worlds when it ends", async () => {
    const scan = registry();
    scan.beginTest();
    const store = new MemorySecretStore();
    scan.registerWorld({ log: createCapturingLog(), secrets: store });
    await store.setSecret('secret:10000:xray', 'fuzzed-secret-of-test-one');
    scan.addSecret('Xray JWT', 'jwt-issued-in-test-one');
    scan.recordResponse('resolver a', 'answer quoting fuzzed-secret-of-test-one');
    expect(() => scan.check('test one')).toThrow(/1 leak/);

    scan.beginTest();
    scan.recordResponse('resolver b', 'fuzzed-secret-of-test-one and jwt-issued-in-test-one');
    expect(scan.secretCount).toBe(0);
    expect(() => scan.check('test two')).not.toThrow();
  });

  it('keeps scanning for the secrets of worlds made outside a test (beforeAll), as they are now', async () => {
    const scan = registry();
    const store = new MemorySecretStore();
    await store.setSecret('secret:10000:sqai', 'file-wide-sqai-token');
    scan.registerWorld({ log: createCapturingLog(), secrets: store });
    scan.beginTest();
    await store.setSecret('secret:10000:xray', 'changed-during-test-one');
    expect(() => scan.check('test one')).not.toThrow();

    scan.beginTest();
    scan.recordResponse('resolver b', 'file-wide-sqai-token / changed-during-test-one');
    const findings = scan.scan();
    expect(summary(findings)).toEqual(['SQAI token | raw | response', 'Xray client secret | raw | response']);
    scan.clear();
  });
});

describeWithContracts('secret scan', () => {
  it('a clean, connected world scans clean, and its secrets are the ones looked for', async () => {
    const world = await connected();
    data(await world.invokeIssue('startGeneration', { testTypes: ['Manual'], maxTests: 2 }, 'DEMO-1'));
    await world.platform.queue.drain();
    expect(secretScan.scan()).toEqual([]);
    // Demo Xray secret + SQAI token + the Xray JWT the app got.
    expect(secretScan.secretCount).toBeGreaterThanOrEqual(3);
    expect(xrayJwt(world)).toMatch(/^ey/);
  });

  it('finds the configured secret in a log line and base64 in a response, without printing it', async () => {
    const world = await connected();
    expect(secretScan.scan()).toEqual([]);
    // A deliberately leaking fake: the real log redacts, so write the line as a careless sink would.
    world.platform.log.lines.push(JSON.stringify({ level: 'info', msg: `auth ${DEMO.xrayClientSecret}` }));
    secretScan.recordResponse('resolver fakeResolver', {
      ok: true,
      data: { basic: `Basic ${b64(`${DEMO.xrayClientId}:${DEMO.xrayClientSecret}`)}` },
    });
    const findings = secretScan.takeFindings();
    expect(summary(findings)).toEqual([
      'Xray client secret | base64 | response',
      'Xray client secret | raw | log',
    ]);
    expect(findings.find((finding) => finding.channel === 'log')?.where).toMatch(
      /^world #\d+ log line #\d+$/,
    );
    expect(findings.find((finding) => finding.channel === 'response')?.where).toMatch(
      /^resolver fakeResolver \(answer, handler call #\d+\)$/,
    );
    const message = secretScan.describe(findings);
    expect(message).toContain('Xray client secret (raw) in log');
    expect(message).not.toContain(DEMO.xrayClientSecret);
    expect(message).not.toContain(b64(DEMO.xrayClientSecret).slice(0, 12));
    // Consumed: nothing is left for the global afterEach.
    expect(secretScan.scan()).toEqual([]);
  });

  it('scans a test that produces hundreds of MB in slices, and still reports an early leak', async () => {
    await connected();
    secretScan.recordResponse('resolver early', { ok: true, data: `leak ${DEMO.sqaiToken}` });
    const bulky = 'x'.repeat(1_000_000);
    for (let index = 0; index < 300; index += 1)
      secretScan.recordResponse('resolver bulky', { ok: true, data: bulky });
    expect(summary(secretScan.takeFindings())).toEqual(['SQAI token | raw | response']);
  });

  it('finds the SQAI token in a Jira request and the Xray JWT in a document sent to SQAI', async () => {
    const world = await connected();
    const jwt = xrayJwt(world);
    await world.platform.jira.request(
      `/rest/api/3/issue/DEMO-1/comment?note=${encodeURIComponent(`token ${DEMO.sqaiToken}`)}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      { as: 'app' },
    );
    await world.platform.http.fetch(`${DEMO.sqaiEndpoint}/v1/contexts/${DEMO.cloudId}/10001`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${DEMO.sqaiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ schema: 'sqai.context/v1', note: jwt }),
    });
    takeViolations(); // a deliberate non-document: this test is about the secret scan, not the contract
    const findings = secretScan.takeFindings();
    expect(summary(findings)).toEqual(['SQAI token | raw | jira', 'Xray JWT | raw | sqai']);
    expect(findings.find((finding) => finding.channel === 'sqai')?.where).toMatch(
      /^SQAI request #\d+ PUT \/v1\/contexts\/.+ body$/,
    );
    // The message never carries the value, even though the Jira path held it.
    expect(secretScan.describe(findings)).not.toContain(encodeURIComponent(DEMO.sqaiToken));
  });

  it('lets each credential reach its own service only', async () => {
    const world = await connected();
    const jwt = xrayJwt(world);
    // SQAI token to SQAI, in the Authorization header: fine.
    await world.platform.http.fetch(`${DEMO.sqaiEndpoint}/v1/health`, {
      headers: { authorization: `Bearer ${DEMO.sqaiToken}` },
    });
    expect(secretScan.scan()).toEqual([]);
    // The Xray JWT or the Xray secret sent to SQAI: a leak, even in the Authorization header.
    await world.platform.http.fetch(`${DEMO.sqaiEndpoint}/v1/health`, {
      headers: { authorization: `Bearer ${jwt}`, 'x-extra': DEMO.xrayClientSecret },
    });
    // The SQAI token sent to Xray: a leak.
    await world.platform.http.fetch('https://xray.cloud.getxray.app/api/v2/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO.sqaiToken}`, 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(summary(secretScan.takeFindings())).toEqual([
      'SQAI token | raw | xray',
      'Xray JWT | raw | sqai',
      'Xray client secret | raw | sqai',
    ]);
  });

  it('looks for rotated delivery secrets everywhere but the answer that shows it once', async () => {
    const world = await connected();
    const rotated = data(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
    const again = data(await world.invoke<RotatedDeliverySecretDto>('rotateDeliverySecret', {}));
    expect(secretScan.scan()).toEqual([]);
    // Both the first (since replaced) and the current secret are looked for.
    world.platform.log.lines.push(`first ${rotated.secret}`, `current ${encodeURIComponent(again.secret)}`);
    const answer = await deliveryWebtrigger(
      { method: 'POST', body: `{"echo":"${b64(again.secret)}"}`, headers: {}, queryParameters: {} },
      { installContext: `ari:cloud:jira::site/${DEMO.cloudId}` },
    );
    expect(answer.statusCode).toBeGreaterThanOrEqual(400);
    // The web trigger's answer is collected too (it does not echo the body: no finding there).
    const findings = secretScan.takeFindings();
    // (A whsec_ secret is base64: `+`, `/` and `=` make its URL-encoded form differ from the raw one.)
    expect(summary(findings)).toEqual(['delivery secret | URL-encoded | log', 'delivery secret | raw | log']);
    expect(secretScan.fileTotals().responses).toBeGreaterThan(0);
  });

  it('finds a stored secret URL-encoded, and one written after the world was created', async () => {
    const world = await connected();
    await world.platform.secrets.setSecret(`secret:${DEMO.project.id}:sqai`, 'sqai/tok+en=value');
    world.platform.log.lines.push(`GET /x?token=${encodeURIComponent('sqai/tok+en=value')}`);
    expect(summary(secretScan.takeFindings())).toEqual(['SQAI token | URL-encoded | log']);
  });

  it('ignores values shorter than 8 characters', async () => {
    const world = await connected();
    await world.platform.secrets.setSecret('secret:short', 'abc1234');
    world.platform.log.lines.push('abc1234');
    expect(secretScan.takeFindings()).toEqual([]);
  });
});
