/**
 * A JQL evaluator over the JiraStore: the subset a Jira client like this app actually sends, with
 * Jira's answers (and error messages) for everything else.
 *
 * Supported (field names and keywords are case-insensitive; values may be quoted or not):
 * - `project` = | != | IN | NOT IN  — key, id or name
 * - `issuetype` (alias `type`) = | != | IN | NOT IN  — name or id
 * - `key` / `issuekey` / `issue` / `id` = | != | IN | NOT IN | < | <= | > | >=  — key or numeric id;
 *   relational operators on a key compare issue numbers within that key's project (as Jira does)
 * - `created` / `updated` (aliases `createdDate`, `updatedDate`) = | != | < | <= | > | >= | IN | NOT IN
 *   — `"yyyy/MM/dd HH:mm"`, `"yyyy-MM-dd HH:mm"`, `"yyyy/MM/dd"`, `"yyyy-MM-dd"`, a period (`-15m`,
 *   `-2h`, `-1d`, `-1w`, `"-1w 2d"`; a quoted bare number is minutes) or an unquoted number (epoch
 *   milliseconds). Absolute dates are wall-clock times in the SEARCHER's time zone, as in Jira: a
 *   user's own zone, else the site's default user time zone (`store.defaultTimeZone`), which is also
 *   the app's (asApp) and that of a search without an actor. Periods and epoch milliseconds are
 *   independent of any time zone (see `./jira-time.ts`).
 * - `labels` = | != | IN | NOT IN | IS [NOT] EMPTY  — compared case-insensitively
 * - `status` = | != | IN | NOT IN  — name or id; `statusCategory` = | != | IN | NOT IN — name
 *   ("To Do", "In Progress", "Done"), key (new, indeterminate, done) or id
 * - `priority` = | != | IN | NOT IN | IS [NOT] EMPTY
 * - `text ~ "word"` (summary + description), `summary ~ | !~`, `description ~ | !~ | IS [NOT] EMPTY`
 *   — a case-insensitive "contains" (Jira stems words; `*` and `?` wildcards are dropped here)
 * - indexed entity properties (`./entity-properties.ts`): `issue.property[key].path` or the module's
 *   `searchAlias`, for `number` values = | != | < | <= | > | >= | IN | NOT IN | IS [NOT] EMPTY and
 *   ORDER BY; a path no `jira:entityProperty` module indexes matches nothing
 * - `AND`, `OR`, `NOT` / `!`, parentheses; `ORDER BY f [ASC|DESC], …` on key (numeric-aware:
 *   DEMO-2 < DEMO-10), id, created, updated, priority (DESC = Highest first, as in Jira), summary,
 *   project (by key). Empty values sort last in ASC and first in DESC.
 *
 * Semantics worth knowing (Jira's): `!=` and `NOT IN` never match an issue whose field is empty (use
 * `NOT (f = x)` or `IS EMPTY`); values that do not exist are errors, not empty results
 * ("The value 'X' does not exist for the field 'project'."); with an actor, projects and issues the
 * actor cannot see count as non-existent, exactly like in Jira.
 *
 * Order: ORDER BY as given, ties (and queries without ORDER BY) by key ASC. Jira leaves the order of an
 * enhanced search without ORDER BY unspecified; the simulator documents key ASC so tests are stable.
 *
 * Anything else — JQL functions, WAS/CHANGED history operators, other fields — throws `JqlError`: with
 * Jira's own message where Jira would reject it too, or one saying the simulator does not support it.
 */
import { numberAt, propertyFieldOf, type IndexedPropertyValue } from './entity-properties';
import { parseJqlDate, JQL_DATE_FORMATS_HINT } from './jira-time';
import {
  JqlError,
  parseJql,
  type JqlClause,
  type JqlOperator,
  type JqlQuery,
  type JqlValue,
} from './jql-parser';
import type { Actor, AdfNode, JiraStore, SimIssue, SimProject, StatusCategory } from './store';

export { JqlError, parseJql, type JqlQuery } from './jql-parser';

export interface JqlOptions {
  /** Who searches: invisible projects/issues are then unknown values and never results. Absent: everything. */
  actor?: Actor;
  /** The clock for relative dates (`-15m`). */
  now?: () => Date;
  /** The zone absolute dates are read in; default: the actor's (see the file comment). */
  timeZone?: string;
}

type Predicate = (issue: SimIssue) => boolean;
type Term = Extract<JqlClause, { kind: 'term' }>;

interface Context {
  store: JiraStore;
  now: Date;
  /** The searcher's time zone (IANA id), for absolute JQL dates. */
  timeZone: string;
  projectVisible: (project: SimProject) => boolean;
  issueVisible: (issue: SimIssue) => boolean;
}

const simulatorLacks = (what: string): JqlError =>
  new JqlError(`Error in the JQL Query: the Jira simulator does not support ${what}.`);

const doesNotExist = (value: string, field: string): JqlError =>
  new JqlError(`The value '${value}' does not exist for the field '${field}'.`);

// ---------- text helpers ----------

export function adfToPlainText(node: AdfNode | { content?: AdfNode[] } | null | undefined): string {
  if (!node) return '';
  const own = 'text' in node && typeof node.text === 'string' ? node.text : '';
  const children = (node.content ?? []).map((child) => adfToPlainText(child));
  return [own, ...children].filter(Boolean).join(' ');
}

function keyParts(key: string): { project: string; number: number } {
  const dash = key.lastIndexOf('-');
  return { project: key.slice(0, dash).toUpperCase(), number: Number(key.slice(dash + 1)) };
}

/** DEMO-2 < DEMO-10 < OTHER-1. */
export function compareKeys(a: string, b: string): number {
  const left = keyParts(a);
  const right = keyParts(b);
  if (left.project !== right.project) return left.project < right.project ? -1 : 1;
  return left.number - right.number;
}

const STATUS_CATEGORIES: { id: string; key: StatusCategory; name: string }[] = [
  { id: '2', key: 'new', name: 'To Do' },
  { id: '4', key: 'indeterminate', name: 'In Progress' },
  { id: '3', key: 'done', name: 'Done' },
];

// ---------- fields ----------

/** An enumerated field: an issue has a set of values; a JQL value resolves to a set of them. */
interface SetField {
  family: 'set';
  canBeEmpty: boolean;
  valuesOf(issue: SimIssue, ctx: Context): string[];
  resolve(value: string, field: string, ctx: Context): string[];
}

interface OrdinalField {
  family: 'ordinal';
  kind: 'issuekey' | 'date';
}

interface TextField {
  family: 'text';
  canBeEmpty: boolean;
  textOf(issue: SimIssue): string;
}

type FieldDef = (SetField | OrdinalField | TextField) & {
  /** Operators the simulator evaluates. */
  operators: readonly JqlOperator[];
  /** Operators Jira accepts on this field that the simulator does not evaluate. */
  jiraOnly: readonly JqlOperator[];
  sort?: (a: SimIssue, b: SimIssue, ctx: Context) => number;
};

const EQUALITY: readonly JqlOperator[] = ['=', '!=', 'in', 'not in'];
const EMPTINESS: readonly JqlOperator[] = ['is', 'is not'];
const RELATIONAL: readonly JqlOperator[] = ['<', '<=', '>', '>='];
const HISTORY: readonly JqlOperator[] = ['was', 'was not', 'was in', 'was not in', 'changed'];

function priorityRank(issue: SimIssue, ctx: Context): number | undefined {
  if (!issue.priorityId) return undefined;
  const ids = [...ctx.store.priorities.keys()];
  const index = ids.indexOf(issue.priorityId);
  // The store lists Highest first; Jira's ascending priority order is Lowest → Highest.
  return index < 0 ? undefined : ids.length - index;
}

/** Ascending order with empty values last (Jira puts empties last in ASC, first in DESC). */
function compareOptional(a: number | undefined, b: number | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a - b;
}

const projectField: FieldDef = {
  family: 'set',
  canBeEmpty: false,
  operators: EQUALITY,
  jiraOnly: EMPTINESS,
  valuesOf: (issue) => [issue.projectId],
  resolve(value, field, ctx) {
    const lower = value.toLowerCase();
    const hit = [...ctx.store.projects.values()].find(
      (project) =>
        ctx.projectVisible(project) &&
        (project.id === value || project.key.toLowerCase() === lower || project.name.toLowerCase() === lower),
    );
    if (!hit) throw doesNotExist(value, field);
    return [hit.id];
  },
  sort: (a, b, ctx) =>
    (ctx.store.projects.get(a.projectId)?.key ?? '').localeCompare(
      ctx.store.projects.get(b.projectId)?.key ?? '',
    ),
};

const issueTypeField: FieldDef = {
  family: 'set',
  canBeEmpty: false,
  operators: EQUALITY,
  jiraOnly: EMPTINESS,
  valuesOf: (issue) => [issue.issueTypeId],
  resolve(value, field, ctx) {
    const lower = value.toLowerCase();
    const ids = [...ctx.store.issueTypes.values()]
      .filter((type) => type.id === value || type.name.toLowerCase() === lower)
      .map((type) => type.id);
    if (ids.length === 0) throw doesNotExist(value, field);
    return ids;
  },
};

const statusField: FieldDef = {
  family: 'set',
  canBeEmpty: false,
  operators: EQUALITY,
  jiraOnly: [...EMPTINESS, ...HISTORY],
  valuesOf: (issue) => [issue.statusId],
  resolve(value, field, ctx) {
    const status = ctx.store.status(value);
    if (!status) throw doesNotExist(value, field);
    return [status.id];
  },
};

const statusCategoryField: FieldDef = {
  family: 'set',
  canBeEmpty: false,
  operators: EQUALITY,
  jiraOnly: [],
  valuesOf: (issue, ctx) => {
    const category = ctx.store.statuses.get(issue.statusId)?.category;
    return category ? [category] : [];
  },
  resolve(value, field) {
    const lower = value.toLowerCase();
    const hit = STATUS_CATEGORIES.find(
      (category) => category.id === value || category.key === lower || category.name.toLowerCase() === lower,
    );
    if (!hit) throw doesNotExist(value, field);
    return [hit.key];
  },
};

const priorityField: FieldDef = {
  family: 'set',
  canBeEmpty: true,
  operators: [...EQUALITY, ...EMPTINESS],
  jiraOnly: [...RELATIONAL, ...HISTORY],
  valuesOf: (issue) => (issue.priorityId ? [issue.priorityId] : []),
  resolve(value, field, ctx) {
    const priority = ctx.store.priority(value);
    if (!priority) throw doesNotExist(value, field);
    return [priority.id];
  },
  sort: (a, b, ctx) => compareOptional(priorityRank(a, ctx), priorityRank(b, ctx)),
};

const labelsField: FieldDef = {
  family: 'set',
  canBeEmpty: true,
  operators: [...EQUALITY, ...EMPTINESS],
  jiraOnly: [],
  valuesOf: (issue) => issue.labels.map((label) => label.toLowerCase()),
  resolve: (value) => [value.toLowerCase()],
};

const issueKeyField: FieldDef = {
  family: 'ordinal',
  kind: 'issuekey',
  operators: [...EQUALITY, ...RELATIONAL],
  jiraOnly: [],
  sort: (a, b) => compareKeys(a.key, b.key),
};

const idSort = (a: SimIssue, b: SimIssue) => Number(a.id) - Number(b.id);

const dateField = (pick: (issue: SimIssue) => string): FieldDef => ({
  family: 'ordinal',
  kind: 'date',
  operators: [...EQUALITY, ...RELATIONAL],
  jiraOnly: EMPTINESS,
  sort: (a, b) => Date.parse(pick(a)) - Date.parse(pick(b)),
});

const summaryText = (issue: SimIssue) => issue.summary;
const descriptionText = (issue: SimIssue) => adfToPlainText(issue.description);

const FIELDS: Record<string, FieldDef & { pick?: (issue: SimIssue) => string }> = {
  project: projectField,
  issuetype: issueTypeField,
  type: issueTypeField,
  key: issueKeyField,
  issuekey: issueKeyField,
  issue: issueKeyField,
  id: { ...issueKeyField, sort: idSort },
  created: { ...dateField((issue) => issue.created), pick: (issue) => issue.created },
  createddate: { ...dateField((issue) => issue.created), pick: (issue) => issue.created },
  updated: { ...dateField((issue) => issue.updated), pick: (issue) => issue.updated },
  updateddate: { ...dateField((issue) => issue.updated), pick: (issue) => issue.updated },
  labels: labelsField,
  status: statusField,
  statuscategory: statusCategoryField,
  priority: priorityField,
  text: {
    family: 'text',
    canBeEmpty: false,
    operators: ['~'],
    jiraOnly: [],
    textOf: (issue) => `${summaryText(issue)} ${descriptionText(issue)}`,
  },
  summary: {
    family: 'text',
    canBeEmpty: false,
    operators: ['~', '!~'],
    jiraOnly: EMPTINESS,
    textOf: summaryText,
    sort: (a, b) => a.summary.localeCompare(b.summary, 'en', { sensitivity: 'base' }),
  },
  description: {
    family: 'text',
    canBeEmpty: true,
    operators: ['~', '!~', ...EMPTINESS],
    jiraOnly: [],
    textOf: descriptionText,
  },
};

/** Fields Jira knows that the simulator does not evaluate (so the message can say so honestly). */
const JIRA_ONLY_FIELDS = new Set([
  'assignee',
  'reporter',
  'creator',
  'component',
  'fixversion',
  'affectedversion',
  'resolution',
  'resolved',
  'duedate',
  'sprint',
  'parent',
  'comment',
  'environment',
  'watcher',
  'votes',
  'level',
  'filter',
  'attachments',
  'issuelinktype',
  'lastviewed',
]);

function fieldDef(name: string): FieldDef & { pick?: (issue: SimIssue) => string } {
  const def = FIELDS[name.toLowerCase()];
  if (def) return def;
  if (JIRA_ONLY_FIELDS.has(name.toLowerCase())) throw simulatorLacks(`the field '${name}'`);
  throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
}

// ---------- compiling clauses ----------

function values(operand: Term['operand']): JqlValue[] {
  return operand.kind === 'list' ? operand.items : [operand];
}

function describeValue(value: JqlValue): string {
  return value.kind === 'function' ? `${value.name}()` : value.text;
}

function plain(value: JqlValue): string {
  if (value.kind === 'function') throw simulatorLacks(`JQL functions ('${value.name}()')`);
  return value.text;
}

function checkOperator(def: FieldDef, field: string, operator: JqlOperator): void {
  if (def.operators.includes(operator)) return;
  const shown = operator.toUpperCase();
  if (def.jiraOnly.includes(operator) || HISTORY.includes(operator)) {
    throw simulatorLacks(`the operator '${shown}' on the field '${field}'`);
  }
  throw new JqlError(
    `The operator '${operator === 'in' || operator === 'not in' ? shown : operator}' is not supported by the '${field}' field.`,
  );
}

function checkOperand(term: Term): void {
  const { field, operator, operand } = term;
  const list = operator === 'in' || operator === 'not in';
  if (operand.kind === 'function' || list === (operand.kind === 'list')) return;
  if (list) {
    throw new JqlError(
      `The operator '${operator.toUpperCase()}' for field '${field}' must be used with a list of values.`,
    );
  }
  const shown = values(operand).map(describeValue).join(', ');
  throw new JqlError(`The operator '${operator}' does not support the multi-value operand '(${shown})'.`);
}

/** An indexed entity property (`./entity-properties.ts`), by path or search alias, if the field is one. */
function indexedField(field: string, ctx: Context): IndexedPropertyValue | null | undefined {
  if (/^issue\.property\[[^\]]*\]$/i.test(field)) {
    throw simulatorLacks(`an entity property without a path ('${field}')`);
  }
  return propertyFieldOf(field, ctx.store.indexedProperties);
}

const PROPERTY_OPERATORS: readonly JqlOperator[] = [...EQUALITY, ...RELATIONAL, ...EMPTINESS];

function compileProperty(indexed: IndexedPropertyValue | null, term: Term): Predicate {
  const { field, operator } = term;
  if (!PROPERTY_OPERATORS.includes(operator)) {
    if (HISTORY.includes(operator))
      throw simulatorLacks(`the operator '${operator.toUpperCase()}' on the field '${field}'`);
    throw new JqlError(`The operator '${operator}' is not supported by the '${field}' field.`);
  }
  checkOperand(term);
  const items = values(term.operand);
  for (const item of items) if (item.kind === 'function') plain(item);
  const wantsEmpty = items.some((item) => item.kind === 'empty');
  if ((operator === 'is' || operator === 'is not') && !wantsEmpty) {
    throw new JqlError(
      `The operator '${operator.toUpperCase()}' can only be used with the value 'EMPTY' or 'NULL'.`,
    );
  }
  // A path no module indexes: Jira holds no index of it, so nothing matches (and no error).
  if (indexed === null) return () => false;
  if (indexed.type !== 'number') {
    throw simulatorLacks(`searching the ${indexed.type} entity property value '${field}'`);
  }
  if (operator === 'is') return (issue) => numberAt(issue, indexed) === undefined;
  if (operator === 'is not') return (issue) => numberAt(issue, indexed) !== undefined;
  const tests = items.map((item): Predicate => {
    if (item.kind === 'empty') {
      if (RELATIONAL.includes(operator)) {
        throw new JqlError(
          `The operator '${operator}' does not support the value 'EMPTY' for the field '${field}'.`,
        );
      }
      const negative = operator === '!=' || operator === 'not in';
      return (issue) => (numberAt(issue, indexed) === undefined) !== negative;
    }
    const text = plain(item).trim();
    const expected = Number(text);
    if (text === '' || !Number.isFinite(expected)) {
      throw new JqlError(`The value '${text}' is not a valid number for the field '${field}'.`);
    }
    // An issue without the value never matches, not even `!=` (as every field in Jira).
    return (issue) => {
      const actual = numberAt(issue, indexed);
      return actual !== undefined && relational(operator, actual, expected);
    };
  });
  return anyOrAll(operator, tests);
}

function compileTerm(term: Term, ctx: Context): Predicate {
  const indexed = indexedField(term.field, ctx);
  if (indexed !== undefined) return compileProperty(indexed, term);
  const def = fieldDef(term.field);
  const { field, operator } = term;
  checkOperator(def, field, operator);
  checkOperand(term);
  const items = values(term.operand);
  for (const item of items) if (item.kind === 'function') plain(item);
  const wantsEmpty = items.some((item) => item.kind === 'empty');
  if ((operator === 'is' || operator === 'is not') && !wantsEmpty) {
    throw new JqlError(
      `The operator '${operator.toUpperCase()}' can only be used with the value 'EMPTY' or 'NULL'.`,
    );
  }
  if (wantsEmpty && !('canBeEmpty' in def && def.canBeEmpty)) {
    throw new JqlError(`The field '${field}' does not support searching for EMPTY values.`);
  }

  if (def.family === 'text') return compileText(def, term, items);
  if (def.family === 'ordinal') {
    return def.kind === 'date' ? compileDate(def, term, items, ctx) : compileIssueKey(term, items, ctx);
  }
  return compileSet(def, term, items, ctx);
}

function compileSet(def: SetField, term: Term, items: JqlValue[], ctx: Context): Predicate {
  const { operator, field } = term;
  const wanted = new Set<string>();
  let matchEmpty = false;
  for (const item of items) {
    if (item.kind === 'empty') matchEmpty = true;
    else for (const id of def.resolve(plain(item), field, ctx)) wanted.add(id);
  }
  const hits = (issue: SimIssue) => {
    const own = def.valuesOf(issue, ctx);
    return own.some((value) => wanted.has(value)) || (matchEmpty && own.length === 0);
  };
  switch (operator) {
    case '=':
    case 'in':
    case 'is':
      return hits;
    default:
      // != / NOT IN / IS NOT: Jira never matches an empty field with a negative operator (unless the
      // operand is EMPTY itself, where IS NOT EMPTY means "has a value").
      return (issue) => {
        const own = def.valuesOf(issue, ctx);
        if (own.length === 0) return false;
        return !own.some((value) => wanted.has(value));
      };
  }
}

function relational(operator: JqlOperator, actual: number, expected: number): boolean {
  switch (operator) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '!=':
    case 'not in':
      return actual !== expected;
    default:
      return actual === expected;
  }
}

function anyOrAll(operator: JqlOperator, tests: ((issue: SimIssue) => boolean)[]): Predicate {
  // Negative operators must hold for every value; positive ones for any.
  if (operator === '!=' || operator === 'not in') return (issue) => tests.every((test) => test(issue));
  return (issue) => tests.some((test) => test(issue));
}

function compileDate(
  def: FieldDef & { pick?: (issue: SimIssue) => string },
  term: Term,
  items: JqlValue[],
  ctx: Context,
): Predicate {
  const pick = def.pick ?? ((issue: SimIssue) => issue.updated);
  const field = term.field;
  const tests = items.map((item) => {
    const text = plain(item);
    const quoted = item.kind === 'value' && item.quoted;
    const at = parseJqlDate(text, ctx.now, { timeZone: ctx.timeZone, quoted });
    if (at === undefined) {
      throw new JqlError(`Date value '${text}' for field '${field}' is invalid. ${JQL_DATE_FORMATS_HINT}`);
    }
    return (issue: SimIssue) => relational(term.operator, Date.parse(pick(issue)), at);
  });
  return anyOrAll(term.operator, tests);
}

const KEY_PATTERN = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

function compileIssueKey(term: Term, items: JqlValue[], ctx: Context): Predicate {
  const { operator, field } = term;
  const tests = items.map((item): Predicate => {
    const text = plain(item).trim();
    if (!/^\d+$/.test(text) && !KEY_PATTERN.test(text)) {
      throw new JqlError(`The issue key '${text}' for field '${field}' is invalid.`);
    }
    const target = ctx.store.issue(text);
    const visible = target !== undefined && ctx.issueVisible(target);
    if (RELATIONAL.includes(operator)) {
      // Relational operators compare issue numbers within the value's project (ids numerically).
      if (/^\d+$/.test(text)) return (issue) => relational(operator, Number(issue.id), Number(text));
      const { project, number } = keyParts(text);
      const known = [...ctx.store.projects.values()].some((p) => p.key === project && ctx.projectVisible(p));
      if (!known) throw doesNotExist(project, 'project');
      return (issue) =>
        keyParts(issue.key).project === project && relational(operator, keyParts(issue.key).number, number);
    }
    if (!visible) throw new JqlError(`An issue with key '${text}' does not exist for field '${field}'.`);
    return (issue) => relational(operator, Number(issue.id), Number(target.id));
  });
  return anyOrAll(operator, tests);
}

function compileText(def: TextField, term: Term, items: JqlValue[]): Predicate {
  const [item] = items;
  if (!item) return () => false;
  if (item.kind === 'empty') {
    const empty = (issue: SimIssue) => def.textOf(issue).trim() === '';
    return term.operator === 'is' ? empty : (issue) => !empty(issue);
  }
  const needle = plain(item).replace(/[*?]/g, '').trim().toLowerCase();
  if (needle === '') {
    throw new JqlError(`The field '${term.field}' does not support searching for an empty string.`);
  }
  const contains = (issue: SimIssue) => def.textOf(issue).toLowerCase().includes(needle);
  return term.operator === '!~' ? (issue) => !contains(issue) : contains;
}

function compile(clause: JqlClause, ctx: Context): Predicate {
  switch (clause.kind) {
    case 'and': {
      const parts = clause.clauses.map((part) => compile(part, ctx));
      return (issue) => parts.every((part) => part(issue));
    }
    case 'or': {
      const parts = clause.clauses.map((part) => compile(part, ctx));
      return (issue) => parts.some((part) => part(issue));
    }
    case 'not': {
      const inner = compile(clause.clause, ctx);
      return (issue) => !inner(issue);
    }
    case 'term':
      return compileTerm(clause, ctx);
  }
}

// ---------- ordering ----------

const SORTABLE = new Set([
  'key',
  'issuekey',
  'id',
  'created',
  'createddate',
  'updated',
  'updateddate',
  'priority',
  'summary',
  'project',
]);

function comparator(query: JqlQuery, ctx: Context): (a: SimIssue, b: SimIssue) => number {
  const parts = query.orderBy.map((order) => {
    const sign = order.direction === 'desc' ? -1 : 1;
    const indexed = indexedField(order.field, ctx);
    if (indexed === null) return () => 0;
    if (indexed !== undefined) {
      if (indexed.type !== 'number') throw simulatorLacks(`ORDER BY '${order.field}'`);
      return (a: SimIssue, b: SimIssue) => sign * compareOptional(numberAt(a, indexed), numberAt(b, indexed));
    }
    const def = fieldDef(order.field);
    const name = order.field.toLowerCase();
    if (name === 'text') throw new JqlError(`Not able to sort using field '${order.field}'.`);
    if (!SORTABLE.has(name) || !def.sort) throw simulatorLacks(`ORDER BY '${order.field}'`);
    const sort = def.sort;
    return (a: SimIssue, b: SimIssue) => sign * sort(a, b, ctx);
  });
  return (a, b) => {
    for (const part of parts) {
      const result = part(a, b);
      if (result !== 0) return result;
    }
    return compareKeys(a.key, b.key);
  };
}

// ---------- entry points ----------

/** A user's own time zone, else the site default (also the app's: its account has none of its own). */
function searcherTimeZone(store: JiraStore, actor: Actor | undefined): string {
  const own =
    actor?.as === 'user' && actor.accountId ? store.users.get(actor.accountId)?.timeZone : undefined;
  return own ?? store.defaultTimeZone;
}

function context(store: JiraStore, options: JqlOptions): Context {
  const { actor } = options;
  return {
    store,
    now: options.now?.() ?? new Date(),
    timeZone: options.timeZone ?? searcherTimeZone(store, actor),
    projectVisible: (project) => !actor || store.canBrowseProject(actor, project),
    issueVisible: (issue) => !actor || store.canSeeIssue(actor, issue),
  };
}

/** Whether Jira's enhanced search accepts the query: it must restrict the search (have a WHERE part). */
export function isBoundedJql(query: JqlQuery): boolean {
  return query.where !== null;
}

/**
 * The issues matching `jql` in order (see the file comment). With `options.actor`, only issues that
 * actor can see. Throws `JqlError` for invalid or unsupported JQL.
 */
export function evaluateJql(store: JiraStore, jql: string | JqlQuery, options: JqlOptions = {}): SimIssue[] {
  const query = typeof jql === 'string' ? parseJql(jql) : jql;
  const ctx = context(store, options);
  const matches = query.where ? compile(query.where, ctx) : () => true;
  const order = comparator(query, ctx);
  return [...store.issues.values()].filter((issue) => ctx.issueVisible(issue) && matches(issue)).sort(order);
}
