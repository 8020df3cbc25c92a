/**
 * The suite-wide secret scan ("Trust": secrets never appear in any response, error, log line or
 * context document).
 *
 * While a test runs, everything the app hands to someone else is collected here:
 * - `response`: every result (or thrown error) of a real handler in src/index.ts — resolver calls
 *   (world.invoke / invokeIssue / invokeAs, the playground), web trigger responses, queue consumers,
 *   scheduled triggers (test/setup/secret-scan.ts wraps the exports);
 * - `log`: every line of each world's capturing log;
 * - `sqai`, `jira`, `xray`, `confluence`: every request the app sends to the simulators (URL,
 *   headers, body — so every context document SQAI receives, and nothing secret or planted goes to
 *   Jira or Confluence).
 *
 * The secrets looked for: the demo connection's Xray client secret and SQAI token, every value the
 * app writes to a world's secret store (saved settings, rotated delivery secrets, cached Xray
 * tokens), and every Xray JWT the Xray simulator issues to the app — in every form the app's
 * redaction removes (src/platform/redact.ts, one definition for both): raw, JSON-escaped,
 * URL-encoded, base64 / base64url (at every byte alignment, so a secret inside a longer encoded
 * string such as Basic credentials is found too), hex and reversed; and, in a second pass over the
 * text folded to its ASCII letters and digits in lower case, the secret with its characters spaced
 * out by anything else (or its case changed), reversed, hex (e.g. every byte %-encoded), URL-encoded
 * or base64. A folded finding is reported only for a part with no verbatim finding of the same
 * secret kind. Values shorter than 8 characters are ignored.
 *
 * Allowed, because each goes to the secret's own service: the SQAI token in the Authorization
 * header of requests to SQAI, the Xray JWT in the Authorization header of requests to Xray, the
 * Xray client secret in the `client_secret` field of Xray's authenticate body — and the delivery
 * secret in the `data.secret` of `rotateDeliverySecret`'s answer (it is shown once to the admin,
 * by design, to be pasted into SQAI).
 *
 * Planted personal data (`addPlanted`, issue 20 "Redaction"): a test that plants e-mail
 * addresses, phone numbers, card numbers, IBANs, IP addresses or tokens in Jira content registers
 * them, and every part collected afterwards is scanned for them too (exact forms only), so a
 * planted value that outlives redaction fails the test as a `planted PII` leak.
 *
 * The scan is off unless `enable()` is called (test/setup/secret-scan.ts does, for the unit suite);
 * the playground, benchmarks and browser tests collect nothing. Its findings name the kind of
 * secret, its encoding and where it appeared — never the value.
 */
import {
  exactFormsOf,
  foldedFormsOf,
  foldText,
  MIN_ENCODED_SECRET_LENGTH,
  redactText,
  type SecretEncoding,
} from '../../src/platform/redact';
import type { CapturedLog, MemorySecretStore } from './local-platform';
import type { SimRequest, SimResponse } from './sim-kit';

export type SecretKind =
  'Xray client secret' | 'SQAI token' | 'Xray JWT' | 'delivery secret' | 'stored secret' | 'planted PII';

/**
 * Personal data a test planted in Jira content (issue 20 "Redaction"): looked for in its exact
 * forms only (raw, JSON-escaped, URL-encoded, base64, hex, reversed), not folded — an address
 * folded to its letters would match ordinary prose.
 */
export const PLANTED_PII: SecretKind = 'planted PII';
export type Channel = 'response' | 'log' | 'sqai' | 'jira' | 'xray' | 'confluence';
/** The upstream services whose requests are collected. */
export type Service = 'sqai' | 'jira' | 'xray' | 'confluence';
export type Encoding = SecretEncoding;

export const MIN_SECRET_LENGTH = MIN_ENCODED_SECRET_LENGTH;

export interface Finding {
  kind: SecretKind;
  encoding: Encoding;
  channel: Channel;
  /** Where it appeared: resolver name and call number, log line index, request route and part. */
  where: string;
}

export interface ScanTotals {
  tests: number;
  responses: number;
  logLines: number;
  sqaiRequests: number;
  sqaiDocuments: number;
  jiraRequests: number;
  xrayRequests: number;
  confluenceRequests: number;
  /** Distinct secret values looked for. */
  secrets: number;
  leaks: number;
  /** Time the scans took (ms). */
  scanMs: number;
  /** Time collecting what was scanned took (ms). */
  recordMs: number;
}

interface Item {
  channel: Channel;
  where: string;
  text: string;
  /** Kinds of secret this part may carry (its own service's credential). */
  allow?: readonly SecretKind[];
}

interface Needle {
  text: string;
  kinds: Set<SecretKind>;
  encoding: Encoding;
}

interface WorldSource {
  id: number;
  /** Registered during a test: let go when that test ends. */
  testScoped: boolean;
  log: WeakRef<CapturedLog>;
  secrets: WeakRef<MemorySecretStore>;
  logOffset: number;
}

/** Answers that carry a secret by design: the field, and the kind it may hold. */
const RESPONSE_FIELDS_ALLOWED: Record<string, { path: readonly string[]; kind: SecretKind }> = {
  rotateDeliverySecret: { path: ['data', 'secret'], kind: 'delivery secret' },
};

const SERVICE_NAMES: Record<Service, string> = {
  sqai: 'SQAI',
  jira: 'Jira',
  xray: 'Xray',
  confluence: 'Confluence',
};
const NO_COUNTS = {
  responses: 0,
  logLines: 0,
  sqaiRequests: 0,
  sqaiDocuments: 0,
  jiraRequests: 0,
  confluenceRequests: 0,
};

const JWT_KINDS: readonly SecretKind[] = ['Xray JWT'];
const SQAI_TOKEN_KINDS: readonly SecretKind[] = ['SQAI token'];
const XRAY_SECRET_KINDS: readonly SecretKind[] = ['Xray client secret'];

/** The secret kind a secret-store key holds (src/config/settings-store.ts `keys`, either slot). */
export function kindOfStoreKey(key: string): SecretKind {
  if (/:xray(?::b)?$/.test(key)) return 'Xray client secret';
  if (/:sqai(?::b)?$/.test(key)) return 'SQAI token';
  if (/:xray-token$/.test(key)) return 'Xray JWT';
  if (/:delivery$/.test(key)) return 'delivery secret';
  return 'stored secret';
}

/** The forms a secret is searched for verbatim (the same the app's redaction removes). */
export function encodingsOf(value: string): { text: string; encoding: Encoding }[] {
  return exactFormsOf(value);
}

/** The forms a secret is searched for in folded text (`foldText`): spaced out, re-cased, … */
export function foldedEncodingsOf(value: string): { text: string; encoding: Encoding }[] {
  return foldedFormsOf(value);
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const parts = [value.stack ?? `${value.name}: ${value.message}`];
    if (value.cause !== undefined) parts.push(`cause: ${stringify(value.cause)}`);
    return parts.join('\n');
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function lowerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = value;
  return out;
}

function pathOf(url: string): string {
  try {
    return new URL(url, 'http://local').pathname;
  } catch {
    return url;
  }
}

function countDocuments(path: string, body: string | undefined): number {
  if (!body) return 0;
  if (/^\/v1\/contexts\/[^/]+\/[^/]+$/.test(path)) return 1;
  if (path !== '/v1/contexts:batch') return 0;
  return (body.match(/"sqai\.context\/v1(?:\.\d+)?"/g) ?? []).length;
}

export class SecretScanRegistry {
  active = false;
  /** Secrets of the whole file (worlds and values registered outside a test, e.g. in beforeAll). */
  private readonly fileNeedles = new Map<string, Set<SecretKind>>();
  /** Secrets of the running test: forgotten when it ends, so the next test is not judged by them. */
  private readonly testNeedles = new Map<string, Set<SecretKind>>();
  /** Set between `beginTest()` and the end of `check()`. */
  private inTest = false;
  private index: NeedleIndexes | undefined;
  /** Time spent scanning (ms), reported with the totals. */
  private scanMs = 0;
  /** Time spent collecting (ms): stringifying answers, splitting requests. */
  private recordMs = 0;
  private worlds: WorldSource[] = [];
  private worldCount = 0;
  /** Distinct secret values looked for in this file, over all its tests. */
  private secretsAdded = 0;
  private pending: Item[] = [];
  /** Characters waiting in `pending`; past FLUSH_CHARS they are scanned at once and let go. */
  private pendingChars = 0;
  /** Leaks found by such early scans, reported with the rest at the end of the test. */
  private early: Finding[] = [];
  private counters = { responses: 0, sqai: 0, jira: 0, xray: 0, confluence: 0 };
  private readonly totals: ScanTotals = {
    tests: 0,
    responses: 0,
    logLines: 0,
    sqaiRequests: 0,
    sqaiDocuments: 0,
    jiraRequests: 0,
    xrayRequests: 0,
    confluenceRequests: 0,
    secrets: 0,
    leaks: 0,
    scanMs: 0,
    recordMs: 0,
  };
  private pendingCounts = { ...NO_COUNTS };
  private pendingXray = 0;

  enable(): void {
    this.active = true;
  }

  // ---------- secrets ----------

  addSecret(kind: SecretKind, value: string | undefined): void {
    if (!this.active || !value || value.length < MIN_SECRET_LENGTH) return;
    if (this.fileNeedles.get(value)?.has(kind)) return;
    const scope = this.inTest ? this.testNeedles : this.fileNeedles;
    const kinds = scope.get(value);
    if (kinds?.has(kind)) return;
    if (kinds) kinds.add(kind);
    else {
      scope.set(value, new Set([kind]));
      this.secretsAdded += 1;
    }
    this.index = undefined;
  }

  /**
   * A test starts (the global beforeEach): what is registered from now on belongs to it. Its worlds
   * and secrets are let go when it ends, so which secrets a later test is scanned for never depends
   * on an earlier test (nor on when the garbage collector freed that test's worlds).
   */
  beginTest(): void {
    this.inTest = true;
  }

  private endTest(): void {
    this.inTest = false;
    this.worlds = this.worlds.filter((world) => !world.testScoped);
    if (this.testNeedles.size > 0) {
      this.testNeedles.clear();
      this.index = undefined;
    }
  }

  /**
   * Personal data a test planted (an e-mail address, phone number, card number, IBAN, IP address,
   * token) that must not reach SQAI, a log line or an answer once redacted: from now on every
   * collected part is scanned for it like a secret, its findings named `planted PII`. Registered
   * during a test, it is forgotten when the test ends; in `beforeAll`, it holds for the file.
   * Values shorter than 8 characters cannot be searched for and are ignored: the answer is how
   * many of `values` are looked for.
   */
  addPlanted(values: Iterable<string>): number {
    let looked = 0;
    for (const value of values) {
      if (!this.active || value.length < MIN_SECRET_LENGTH) continue;
      this.addSecret(PLANTED_PII, value);
      looked += 1;
    }
    return looked;
  }

  /** A value written to a secret store under `key` (JSON values: their token / secret fields). */
  addStoredSecret(key: string, value: string): void {
    const kind = kindOfStoreKey(key);
    let parsed: unknown;
    try {
      parsed = value.trimStart().startsWith('{') ? JSON.parse(value) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [field, inner] of Object.entries(parsed)) {
        if (typeof inner === 'string' && /secret|token|password|key/i.test(field))
          this.addSecret(kind, inner);
      }
      return;
    }
    this.addSecret(kind, value);
  }

  /** The distinct values currently looked for (the unit test of the scanner reads it). */
  get secretCount(): number {
    return this.secretValues().size;
  }

  private secretValues(): Map<string, Set<SecretKind>> {
    const values = new Map<string, Set<SecretKind>>();
    for (const scope of [this.fileNeedles, this.testNeedles])
      for (const [value, kinds] of scope)
        values.set(value, new Set([...(values.get(value) ?? []), ...kinds]));
    return values;
  }

  private allNeedles(): Needle[] {
    return this.needleIndex().exact.needles;
  }

  private needleIndex(): NeedleIndexes {
    if (!this.index) {
      const needles: Needle[] = [];
      const folded: Needle[] = [];
      for (const [value, kinds] of this.secretValues()) {
        for (const form of encodingsOf(value)) {
          if (!form.text.includes(SEPARATOR))
            needles.push({ text: form.text, kinds, encoding: form.encoding });
        }
        if (kinds.size === 1 && kinds.has(PLANTED_PII)) continue;
        for (const form of foldedEncodingsOf(value))
          folded.push({ text: form.text, kinds, encoding: form.encoding });
      }
      this.index = { exact: indexNeedles(needles), folded: indexNeedles(folded) };
    }
    return this.index;
  }

  // ---------- what is collected ----------

  /** A world: its log is read and its secret store's values looked for at every scan. */
  registerWorld(parts: { log: CapturedLog; secrets: MemorySecretStore }): void {
    if (!this.active) return;
    this.worldCount += 1;
    this.worlds.push({
      id: this.worldCount,
      testScoped: this.inTest,
      log: new WeakRef(parts.log),
      secrets: new WeakRef(parts.secrets),
      logOffset: parts.log.lines.length,
    });
    parts.secrets.onWrite((key, value) => this.addStoredSecret(key, value));
    for (const [key, value] of parts.secrets.data) this.addStoredSecret(key, value);
  }

  /** A real handler's answer (or what it threw); `name` e.g. `resolver saveSettings`, `web trigger …`. */
  recordResponse(
    name: string,
    value: unknown,
    options: { threw?: boolean; functionKey?: string } = {},
  ): void {
    if (!this.active) return;
    const started = performance.now();
    try {
      this.collectResponse(name, value, options);
    } finally {
      this.recordMs += performance.now() - started;
    }
  }

  private collectResponse(name: string, value: unknown, options: { threw?: boolean; functionKey?: string }) {
    this.counters.responses += 1;
    this.pendingCounts.responses += 1;
    const where = `${name} (${options.threw ? 'thrown error' : 'answer'}, handler call #${this.counters.responses})`;
    const allowed = options.functionKey ? RESPONSE_FIELDS_ALLOWED[options.functionKey] : undefined;
    if (allowed && !options.threw) {
      const { rest, field } = splitField(value, allowed.path);
      if (field !== undefined) {
        this.addPending({
          channel: 'response',
          where: `${where} ${allowed.path.join('.')}`,
          text: field,
          allow: [allowed.kind],
        });
        this.addPending({ channel: 'response', where, text: stringify(rest) });
        return;
      }
    }
    this.addPending({ channel: 'response', where, text: stringify(value) });
  }

  /** A request the app sent to a simulator (and, for Xray's authenticate, the token it got back). */
  recordRequest(service: Service, request: SimRequest): void {
    if (!this.active) return;
    const started = performance.now();
    try {
      this.collectRequest(service, request);
    } finally {
      this.recordMs += performance.now() - started;
    }
  }

  private collectRequest(service: Service, request: SimRequest): void {
    const path = pathOf(request.url);
    const n = (this.counters[service] += 1);
    const label = `${SERVICE_NAMES[service]} request #${n} ${request.method.toUpperCase()} ${path}`;
    const headers = lowerHeaders(request.headers);
    const authorization = headers.authorization;
    delete headers.authorization;
    const push = (part: string, text: string | undefined, allow?: readonly SecretKind[]) => {
      if (text)
        this.addPending({ channel: service, where: `${label} ${part}`, text, ...(allow ? { allow } : {}) });
    };
    push('URL', request.url);
    push('headers', JSON.stringify(headers));
    if (authorization !== undefined) {
      const allow = service === 'sqai' ? SQAI_TOKEN_KINDS : service === 'xray' ? JWT_KINDS : undefined;
      push('Authorization header', authorization, allow);
    }
    if (service === 'xray' && path.endsWith('/api/v2/authenticate') && request.body) {
      const { rest, field } = splitField(safeParse(request.body), ['client_secret']);
      if (field !== undefined) {
        push('body client_secret', field, XRAY_SECRET_KINDS);
        push('body', stringify(rest));
      } else push('body', request.body);
    } else push('body', request.body);
    if (service === 'sqai') {
      this.pendingCounts.sqaiRequests += 1;
      this.pendingCounts.sqaiDocuments += countDocuments(path, request.body);
    } else if (service === 'jira') this.pendingCounts.jiraRequests += 1;
    else if (service === 'confluence') this.pendingCounts.confluenceRequests += 1;
    else this.pendingXray += 1;
  }

  /** Xray's answer to the app: a successful authenticate carries a JWT, a secret from now on. */
  recordXrayResponse(request: SimRequest, response: SimResponse): void {
    if (!this.active || response.status !== 200 || !pathOf(request.url).endsWith('/api/v2/authenticate'))
      return;
    const token = safeParse(response.body);
    if (typeof token === 'string') this.addSecret('Xray JWT', token);
  }

  private collectWorlds(): void {
    for (const world of this.worlds) {
      const log = world.log.deref();
      if (log) {
        for (let index = world.logOffset; index < log.lines.length; index += 1) {
          const line = log.lines[index];
          if (line !== undefined)
            this.addPending({ channel: 'log', where: `world #${world.id} log line #${index}`, text: line });
        }
        this.pendingCounts.logLines += Math.max(0, log.lines.length - world.logOffset);
        world.logOffset = log.lines.length;
      }
      const secrets = world.secrets.deref();
      if (secrets) for (const [key, value] of secrets.data) this.addStoredSecret(key, value);
    }
  }

  /**
   * Keeps memory bounded: a test producing hundreds of MB of answers (a property with a thousand
   * large cases) is scanned in slices instead of as one string that would not fit.
   */
  private addPending(item: Item): void {
    this.pending.push(item);
    this.pendingChars += item.text.length;
    if (this.pendingChars > FLUSH_CHARS) {
      const started = performance.now();
      this.early.push(...findAllLeaks(this.pending, this.needleIndex()));
      this.scanMs += performance.now() - started;
      this.pending = [];
      this.pendingChars = 0;
    }
  }

  // ---------- scanning ----------

  /** Scans everything collected since the last `clear()`; collects nothing away. */
  scan(): Finding[] {
    const started = performance.now();
    this.collectWorlds();
    const findings = [...this.early, ...findAllLeaks(this.pending, this.needleIndex())];
    this.scanMs += performance.now() - started;
    return findings;
  }

  /** Marks everything collected so far as scanned (counted in the totals) and forgets it. */
  clear(options: { leaks?: number; test?: boolean } = {}): void {
    this.collectWorlds();
    this.totals.responses += this.pendingCounts.responses;
    this.totals.logLines += this.pendingCounts.logLines;
    this.totals.sqaiRequests += this.pendingCounts.sqaiRequests;
    this.totals.sqaiDocuments += this.pendingCounts.sqaiDocuments;
    this.totals.jiraRequests += this.pendingCounts.jiraRequests;
    this.totals.confluenceRequests += this.pendingCounts.confluenceRequests;
    this.totals.xrayRequests += this.pendingXray;
    this.totals.leaks += options.leaks ?? 0;
    if (options.test) this.totals.tests += 1;
    this.pending = [];
    this.pendingChars = 0;
    this.early = [];
    this.pendingCounts = { ...NO_COUNTS };
    this.pendingXray = 0;
  }

  /** Scans, then clears: for a test that leaks on purpose (the expected leaks are consumed). */
  takeFindings(): Finding[] {
    const findings = this.scan();
    this.clear();
    return findings;
  }

  /** The global afterEach: scan, clear, and throw a message naming each leak (never the secret). */
  check(testName: string): void {
    let findings: Finding[] = [];
    try {
      findings = this.scan();
    } finally {
      // Even if the scan itself failed, the next test starts clean.
      this.clear({ leaks: findings.length, test: true });
      this.endTest();
    }
    if (findings.length > 0) throw new Error(this.describe(findings, testName));
  }

  describe(findings: Finding[], testName = 'this test'): string {
    const lines = findings
      .slice(0, 20)
      .map((finding) => `  - ${finding.kind} (${finding.encoding}) in ${finding.channel}: ${finding.where}`);
    if (findings.length > 20) lines.push(`  … and ${findings.length - 20} more`);
    return this.redact(
      `Secret scan: ${findings.length} leak(s) of a configured secret in "${testName}":\n${lines.join('\n')}`,
    );
  }

  /**
   * Belt and braces: a label (e.g. a request path) must not carry a secret into the failure message,
   * in any form (the folded ones through the app's own redaction).
   */
  redact(message: string): string {
    let out = message;
    for (const needle of this.allNeedles()) {
      if (out.includes(needle.text)) out = out.split(needle.text).join('[secret]');
    }
    return redactText(out, this.secretValues().keys());
  }

  fileTotals(): ScanTotals {
    return {
      ...this.totals,
      secrets: this.secretsAdded,
      scanMs: Math.round(this.scanMs),
      recordMs: Math.round(this.recordMs),
    };
  }
}

function safeParse(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** `value` without the string at `path`, and that string (undefined when there is none). */
function splitField(value: unknown, path: readonly string[]): { rest: unknown; field: string | undefined } {
  if (path.length === 0 || !value || typeof value !== 'object' || Array.isArray(value))
    return { rest: value, field: undefined };
  const [head = '', ...tail] = path;
  const record = value as Record<string, unknown>;
  if (!(head in record)) return { rest: value, field: undefined };
  const inner = record[head];
  if (tail.length === 0) {
    if (typeof inner !== 'string') return { rest: value, field: undefined };
    return { rest: { ...record, [head]: '[allowed field]' }, field: inner };
  }
  const split = splitField(inner, tail);
  return split.field === undefined
    ? { rest: value, field: undefined }
    : { rest: { ...record, [head]: split.rest }, field: split.field };
}

// ---------- the search: every needle at once (a rolling hash of the first 8 characters) ----------

const SEPARATOR = '\u0000';
const WINDOW = MIN_SECRET_LENGTH;
const FILTER_BITS = 0xffff;
/**
 * Buzhash: a random word per UTF-16 code unit, combined by rotate and xor, so sliding the window
 * by one character is three xors (no multiplication: Math.imul is slow inside jest's VM context).
 */
const CODE_HASH = (() => {
  const table = new Int32Array(0x10000);
  let state = 0x9e3779b9 | 0;
  for (let code = 0; code < table.length; code += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[code] = state;
  }
  return table;
})();
const rotl = (value: number, by: number) => (value << by) | (value >>> (32 - by));

interface NeedleIndexes {
  /** Forms searched verbatim. */
  exact: NeedleIndex;
  /** Forms searched in the folded text (`foldText`) of each part. */
  folded: NeedleIndex;
}

interface NeedleIndex {
  needles: Needle[];
  /** Hash of a needle's first WINDOW characters → the needles starting so. */
  byHash: Map<number, Needle[]>;
  /** Low bits of those hashes, to skip most positions without a map lookup. */
  filter: Uint8Array;
}

function windowHash(text: string, start: number): number {
  let hash = 0;
  for (let offset = 0; offset < WINDOW; offset += 1)
    hash = rotl(hash, 1) ^ (CODE_HASH[text.charCodeAt(start + offset)] ?? 0);
  return hash;
}

function indexNeedles(needles: Needle[]): NeedleIndex {
  const byHash = new Map<number, Needle[]>();
  const filter = new Uint8Array(FILTER_BITS + 1);
  for (const needle of needles) {
    const hash = windowHash(needle.text, 0);
    const list = byHash.get(hash);
    if (list) list.push(needle);
    else byHash.set(hash, [needle]);
    filter[hash & FILTER_BITS] = 1;
  }
  return { needles, byHash, filter };
}

/**
 * Every (needle, item) hit, in one pass over the items' joined text whatever the number of
 * needles (a file can collect hundreds of secrets: the payload fuzzer saves arbitrary ones).
 */
/** How many characters are collected before they are scanned early (see `addPending`). */
const FLUSH_CHARS = 8_000_000;

function findLeaks(items: Item[], index: NeedleIndex): Finding[] {
  if (items.length === 0 || index.needles.length === 0) return [];
  const starts: number[] = [];
  let length = 0;
  for (const item of items) {
    starts.push(length);
    length += item.text.length + SEPARATOR.length;
  }
  const corpus = items.map((item) => item.text).join(SEPARATOR);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const itemAt = (position: number): Item | undefined => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= position) low = middle;
      else high = middle - 1;
    }
    return items[low];
  };
  const last = corpus.length - WINDOW;
  if (last < 0) return [];
  let hash = windowHash(corpus, 0);
  for (let position = 0; ; position += 1) {
    if (index.filter[hash & FILTER_BITS] === 1) {
      for (const needle of index.byHash.get(hash) ?? []) {
        if (!corpus.startsWith(needle.text, position)) continue;
        const item = itemAt(position);
        if (!item || item.allow?.some((kind) => needle.kinds.has(kind))) continue;
        const kind = [...needle.kinds][0] ?? 'stored secret';
        const id = `${kind}|${needle.encoding}|${item.channel}|${item.where}`;
        if (seen.has(id)) continue;
        seen.add(id);
        findings.push({ kind, encoding: needle.encoding, channel: item.channel, where: item.where });
      }
    }
    if (position >= last) break;
    hash =
      rotl(hash, 1) ^
      rotl(CODE_HASH[corpus.charCodeAt(position)] ?? 0, WINDOW) ^
      (CODE_HASH[corpus.charCodeAt(position + WINDOW)] ?? 0);
  }
  return findings;
}

/**
 * What is scanned is mostly JSON, where a separator such as a line break is written `\n`: each
 * escape sequence counts as a separator (its letter must not end up in the folded text).
 */
const withoutJsonEscapes = (text: string) => text.replace(/\\(?:u[0-9a-fA-F]{4}|[^u])/g, ' ');

/**
 * The verbatim search, then the folded one (each part's ASCII letters and digits, lower-cased) for
 * disguises that separators or case would hide. A folded hit in a part that already has a verbatim
 * hit of the same kind of secret is the same leak: it is not reported twice.
 */
function findAllLeaks(items: Item[], index: NeedleIndexes): Finding[] {
  const exact = findLeaks(items, index.exact);
  if (index.folded.needles.length === 0) return exact;
  const folded = findLeaks(
    items.map((item) => ({ ...item, text: foldText(withoutJsonEscapes(item.text)) })),
    index.folded,
  );
  const seen = new Set(exact.map((finding) => `${finding.kind}|${finding.channel}|${finding.where}`));
  return [
    ...exact,
    ...folded.filter((finding) => !seen.has(`${finding.kind}|${finding.channel}|${finding.where}`)),
  ];
}

const REGISTRY = Symbol.for('sqai.secretScan');

/** One registry per test file (jest gives each file its own global object). */
export const secretScan: SecretScanRegistry = (() => {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: SecretScanRegistry };
  holder[REGISTRY] ??= new SecretScanRegistry();
  return holder[REGISTRY];
})();

type AnyHandler = (...args: unknown[]) => unknown;

function resolverKeyOf(args: unknown[]): string | undefined {
  const [event] = args;
  if (!event || typeof event !== 'object') return undefined;
  const call = (event as { call?: unknown }).call;
  if (!call || typeof call !== 'object') return undefined;
  const key = (call as { functionKey?: unknown }).functionKey;
  return typeof key === 'string' ? key : undefined;
}

/** Wraps every function export of src/index.ts so its answers and thrown errors are scanned. */
export function wrapHandlers<T extends object>(module: T): T {
  const wrapped: Record<string, unknown> = {};
  Object.defineProperty(wrapped, '__esModule', { value: true });
  for (const [name, value] of Object.entries(module)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const handler = value as AnyHandler;
    wrapped[name] = (...args: unknown[]): unknown => {
      const functionKey = name === 'resolverHandler' ? resolverKeyOf(args) : undefined;
      const label = functionKey ? `resolver ${functionKey}` : `handler ${name}`;
      const keyOption = functionKey ? { functionKey } : {};
      const record = (result: unknown, threw: boolean) =>
        secretScan.recordResponse(label, result, { ...keyOption, ...(threw ? { threw } : {}) });
      let result: unknown;
      try {
        result = handler(...args);
      } catch (error) {
        record(error, true);
        throw error;
      }
      if (result instanceof Promise) {
        return result.then(
          (resolved: unknown) => {
            record(resolved, false);
            return resolved;
          },
          (error: unknown) => {
            record(error, true);
            throw error;
          },
        );
      }
      record(result, false);
      return result;
    };
  }
  return wrapped as T;
}
