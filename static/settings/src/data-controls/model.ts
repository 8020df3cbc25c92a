/**
 * "What leaves Jira" as form data (pure: unit-tested in node, test/unit/static/dataControlsModel.test.ts):
 * the DataControlsDto ↔ form rows, client-side validation mirroring the server's obvious rules
 * (src/config/schema.ts `dataControlsSchema`; the server stays the authority and also refuses patterns
 * that could hang), and the error keys — the server's `fieldErrors` paths under `dataControls`.
 */
import {
  AUDIT_RETENTION_DAYS,
  defaultDataControls,
  REDACTION_KINDS,
  REQUIREMENT_FIELDS,
  type ContextSource,
  type DataControlsDto,
  type RedactionKind,
  type RequirementField,
} from '../../../../src/api';

export const MAX_CUSTOM_PATTERNS = 20;
export const MAX_PATTERN_LENGTH = 500;
export const MAX_SAMPLE_LENGTH = 2_000;
export const RETENTION = AUDIT_RETENTION_DAYS;
const PATTERN_NAME = /^[a-z0-9-]{1,30}$/;
const RESERVED_NAMES = new Set(
  REDACTION_KINDS.flatMap((kind) => [
    kind.toLowerCase(),
    kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
  ]),
);

/** One custom pattern row; `key` only tells React the rows apart (never sent). */
export interface PatternRow {
  key: string;
  name: string;
  pattern: string;
}

export interface DataControlsModel {
  sources: Record<ContextSource, boolean>;
  fields: RequirementField[];
  detectors: Record<RedactionKind, boolean>;
  customPatterns: PatternRow[];
  /** As typed. */
  auditRetentionDays: string;
}

/** The error keys: the server's `fieldErrors` paths, so both land on the same control. */
export const DC = {
  root: 'dataControls',
  sources: 'dataControls.sources',
  fields: 'dataControls.fields',
  detectors: 'dataControls.redaction.detectors',
  customPatterns: 'dataControls.redaction.customPatterns',
  auditRetentionDays: 'dataControls.auditRetentionDays',
} as const;

export type PatternPart = 'name' | 'pattern';
export type PatternFieldName = `dataControls.redaction.customPatterns.${number}.${PatternPart}`;
export type DataControlsFieldName = Exclude<(typeof DC)[keyof typeof DC], 'dataControls'> | PatternFieldName;

export const patternField = (index: number, part: PatternPart): PatternFieldName =>
  `${DC.customPatterns}.${index}.${part}`;

export type DataControlsErrors = Partial<Record<DataControlsFieldName, string>>;

let nextRow = 0;
/** A fresh row key (unique within the page). */
export const newRowKey = (): string => `pattern-${(nextRow += 1)}`;

/** The defaults (one definition with the backend's: src/api.ts). */
export const defaultDataControlsDto = defaultDataControls;

/** The form for stored data controls; absent (settings saved before they existed): the defaults. */
export function dataControlsModelOf(dto: DataControlsDto | undefined): DataControlsModel {
  const controls = dto ?? defaultDataControlsDto();
  const defaults = defaultDataControlsDto();
  return {
    sources: { ...defaults.sources, ...controls.sources },
    fields: REQUIREMENT_FIELDS.filter((field) => controls.fields.includes(field)),
    detectors: { ...defaults.redaction.detectors, ...controls.redaction.detectors },
    customPatterns: controls.redaction.customPatterns.map((pattern, index) => ({
      key: `stored-${index}`,
      name: pattern.name,
      pattern: pattern.pattern,
    })),
    auditRetentionDays: String(controls.auditRetentionDays),
  };
}

/** The `saveSettings` part (names trimmed, fields in list order; patterns sent exactly as typed). */
export function dataControlsDtoOf(model: DataControlsModel): DataControlsDto {
  const typedDays = model.auditRetentionDays.trim();
  return {
    sources: { ...model.sources },
    fields: REQUIREMENT_FIELDS.filter((field) => model.fields.includes(field)),
    redaction: {
      detectors: { ...model.detectors },
      customPatterns: model.customPatterns.map((row) => ({ name: row.name.trim(), pattern: row.pattern })),
    },
    auditRetentionDays: typedDays === '' ? Number.NaN : Number(typedDays),
  };
}

/** The rules the page can check itself; that a pattern cannot hang, only the server can say. */
export function validateDataControls(model: DataControlsModel): DataControlsErrors {
  const errors: DataControlsErrors = {};
  if (model.customPatterns.length > MAX_CUSTOM_PATTERNS) {
    errors[DC.customPatterns] = `Add at most ${MAX_CUSTOM_PATTERNS} patterns.`;
  }
  const seen = new Set<string>();
  model.customPatterns.forEach((row, index) => {
    const name = row.name.trim();
    if (name === '') errors[patternField(index, 'name')] = 'Enter a name.';
    else if (!PATTERN_NAME.test(name)) {
      errors[patternField(index, 'name')] =
        'Use 1 to 30 lower-case letters, digits and dashes, e.g. customer-id.';
    } else if (RESERVED_NAMES.has(name)) {
      errors[patternField(index, 'name')] = 'That is the name of a built-in detector; choose another.';
    } else if (seen.has(name)) {
      errors[patternField(index, 'name')] = 'Another pattern has this name; names must differ.';
    }
    seen.add(name);
    if (row.pattern === '') errors[patternField(index, 'pattern')] = 'Enter a pattern.';
    else if (row.pattern.length > MAX_PATTERN_LENGTH) {
      errors[patternField(index, 'pattern')] = `A pattern is at most ${MAX_PATTERN_LENGTH} characters.`;
    }
  });
  const days = model.auditRetentionDays.trim();
  if (!/^\d+$/.test(days) || Number(days) < RETENTION.min || Number(days) > RETENTION.max) {
    errors[DC.auditRetentionDays] =
      `Keep entries for ${RETENTION.min} to ${RETENTION.max} days (a whole number).`;
  }
  return errors;
}

/**
 * A server `fieldErrors` path under `dataControls` → the key of the control it is about: a pattern's
 * name or pattern, or its group (`dataControls.sources.linkedIssues` → `dataControls.sources`);
 * `dataControls` itself for anything else. Undefined for paths outside the data controls.
 */
export function dataControlsFieldOf(path: string): DataControlsFieldName | typeof DC.root | undefined {
  if (path !== DC.root && !path.startsWith(`${DC.root}.`)) return undefined;
  const row = /^dataControls\.redaction\.customPatterns\.(\d+)\.(name|pattern)(\..*)?$/.exec(path);
  if (row) return patternField(Number(row[1]), row[2] as PatternPart);
  const groups = [DC.sources, DC.fields, DC.detectors, DC.customPatterns, DC.auditRetentionDays] as const;
  return groups.find((group) => path === group || path.startsWith(`${group}.`)) ?? DC.root;
}

/** The data controls' error keys in page order (rows by index, a row's name before its pattern). */
export function dataControlsErrorOrder(keys: readonly string[]): string[] {
  const rank = (key: string): [number, number, number] => {
    const row = /\.customPatterns\.(\d+)\.(name|pattern)$/.exec(key);
    if (row) return [4, Number(row[1]), row[2] === 'name' ? 0 : 1];
    const order: readonly string[] = [DC.root, DC.sources, DC.fields, DC.detectors, DC.customPatterns];
    const at = order.indexOf(key);
    return [at >= 0 ? at : key === DC.auditRetentionDays ? 5 : 6, 0, 0];
  };
  return [...keys].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

/** Rows without the one at `index`. */
export const withoutRow = (rows: readonly PatternRow[], index: number): PatternRow[] =>
  rows.filter((_row, at) => at !== index);

/** The error keys of every pattern row (cleared when rows move: their indexes no longer match). */
export const patternRowErrorKeys = (errors: Partial<Record<string, string>>): string[] =>
  Object.keys(errors).filter((key) => key.startsWith(`${DC.customPatterns}.`));
