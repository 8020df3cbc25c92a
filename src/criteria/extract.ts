/**
 * Finds a requirement's acceptance criteria in its description (Atlassian Document Format) or in a
 * configured Jira field (a plain string or ADF). What counts, in document order (docs/criteria.md):
 *
 * - a **criteria section**: the blocks after a heading named like "Acceptance criteria" (up to the next
 *   heading of the same or a higher level, a rule, or a bold `Label:` paragraph); the content of an
 *   expand titled so, or of a panel that starts with such a heading or label; the lists, tables and code
 *   blocks right after a paragraph that says only "Acceptance criteria:" (bold, or ending in a colon);
 * - in a section, each **list item** (bullet, numbered, task list): a nested item is a criterion of its
 *   own, its text prefixed with its parents' (`Payment: declined cards show a message`), and an item
 *   with nested items is the context of those, not a criterion itself;
 * - in a section, each body row of a **table** (the header row is skipped);
 * - anywhere, each **Scenario** of a `gherkin` / `cucumber` / `feature` code block, and each
 *   Given/When/Then scenario written as paragraphs (one that has an outcome: a Then);
 * - in a configured field, everything above, and each paragraph or line of its own.
 *
 * The input is untrusted: it is only read through src/context/adf/read.ts, walked to a bounded depth
 * and number of nodes, and at most MAX_CRITERIA criteria of at most MAX_CRITERION_TEXT characters come
 * out.
 */
import { type AdfNode, attrString, attrText, nodesOf, readNode } from '../context/adf/read';
import { isoDate } from '../context/adf/to-mdast';
import { oneLine, readScenarios, scenarioText, startsGherkin } from './gherkin';
import { MAX_CRITERIA, MAX_CRITERION_TEXT, type CriterionSource } from './schema';

/** The section names that mark acceptance criteria (compared case-insensitively, see `titleKey`). */
export const DEFAULT_CRITERIA_TITLES: readonly string[] = [
  'acceptance criteria',
  'acceptance criterion',
  'ac',
  'acs',
  'definition of done',
  'dod',
];

/** Code block languages read as Gherkin. */
const GHERKIN_LANGUAGES = new Set(['gherkin', 'cucumber', 'feature']);

const MAX_DEPTH = 64;
const MAX_VISITS = 100_000;

export interface CriteriaOptions {
  /** Section names (default DEFAULT_CRITERIA_TITLES). */
  titles?: readonly string[];
}

/** A criterion as found, before it has an id. */
export interface FoundCriterion {
  text: string;
  source: CriterionSource;
}

/**
 * A title as compared with the configured names: NFKC, lower case, anything but letters and digits a
 * single space, and a leading number (`3. Acceptance criteria`) dropped.
 */
export function titleKey(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^(\d+ )+/, '');
}

/** A title is a criteria title when it is one of the names or starts with one (`Acceptance criteria (MVP)`). */
export function isCriteriaTitle(value: string, titles: readonly string[]): boolean {
  const key = titleKey(value);
  if (key === '') return false;
  return titles.some((title) => {
    const name = titleKey(title);
    return name !== '' && (key === name || key.startsWith(`${name} `));
  });
}

/** The text shown for a criterion: control characters and whitespace runs one space, cut at MAX_CRITERION_TEXT. */
export function displayText(value: string): string {
  const text = oneLine(value.replace(/\p{Cc}/gu, ' '));
  if (text.length <= MAX_CRITERION_TEXT) return text;
  // Cut between code points (never half a surrogate pair), then the ellipsis.
  const cut = text.slice(0, MAX_CRITERION_TEXT - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut.trimEnd()}…`;
}

// ─── reading text ───────────────────────────────────────────────────────────────────────────────────

interface Walk {
  titles: readonly string[];
  visits: number;
  out: FoundCriterion[];
  /** Set for a configured field: everything found is `field`, and plain paragraphs count. */
  field: boolean;
}

/** The words an inline node shows: text, mention/emoji/status text, a date, a card's URL. */
function leafText(node: AdfNode): string {
  if (node.text !== undefined) return node.text;
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'date') return isoDate(node.attrs.timestamp) ?? '';
  if (node.type === 'inlineCard') return attrString(node.attrs, 'url') ?? '';
  return attrText(node) ?? '';
}

/** The text of inline content (and of any blocks under it, one line each), iteratively and bounded. */
function inlineText(walk: Walk, content: readonly unknown[]): string {
  const parts: string[] = [];
  const stack: unknown[] = [...content].reverse();
  while (stack.length > 0 && walk.visits < MAX_VISITS) {
    walk.visits += 1;
    const node = readNode(stack.pop());
    if (node === undefined) continue;
    parts.push(leafText(node));
    if (node.type === 'paragraph' || node.type === 'heading') parts.push('\n');
    for (let index = node.content.length - 1; index >= 0; index -= 1) stack.push(node.content[index]);
  }
  return parts.join('');
}

/** Is every piece of text in this paragraph bold? (`**Acceptance criteria:**`) */
function allStrong(node: AdfNode): boolean {
  const leaves = nodesOf(node.content).filter(
    (child) => child.text !== undefined && child.text.trim() !== '',
  );
  return leaves.length > 0 && leaves.every((child) => child.marks.some((mark) => mark.type === 'strong'));
}

/** A paragraph that names what follows: all bold, or short and ending in a colon. */
function isLabel(node: AdfNode, text: string): boolean {
  const line = text.trim();
  if (line === '' || line.includes('\n') || line.length > 80) return false;
  return allStrong(node) || line.endsWith(':');
}

function emit(walk: Walk, text: string, source: CriterionSource): void {
  const shown = displayText(text);
  if (shown === '' || walk.out.length >= MAX_CRITERIA) return;
  walk.out.push({ text: shown, source: walk.field ? 'field' : source });
}

function emitScenarios(walk: Walk, text: string, needOutcome: boolean): void {
  for (const scenario of readScenarios(text)) {
    if (!needOutcome || scenario.hasOutcome) emit(walk, scenarioText(scenario), 'gherkin');
  }
}

// ─── lists and tables ───────────────────────────────────────────────────────────────────────────────

const LIST_TYPES = new Set(['bulletList', 'orderedList', 'taskList', 'decisionList']);
const ITEM_TYPES = new Set(['listItem', 'taskItem', 'blockTaskItem', 'decisionItem']);

/** Joins a parent's text and a nested item's: `Payment: declined…`, `Payment — declined…`. */
function withContext(context: string, text: string): string {
  if (context === '') return text;
  return /[:\-–—]$/.test(context) ? `${context} ${text}` : `${context} — ${text}`;
}

/**
 * The criteria of a list: one per item without nested items, the item's text after its ancestors'.
 * A task list nests a task list directly in its content (after the item it belongs to).
 */
function listCriteria(walk: Walk, list: AdfNode, context: string, depth: number): void {
  if (depth > MAX_DEPTH) return;
  let previous = '';
  let previousEmitted = false;
  for (const child of nodesOf(list.content)) {
    walk.visits += 1;
    if (walk.visits > MAX_VISITS) return;
    if (LIST_TYPES.has(child.type)) {
      // Task-list nesting: the items belong to the previous item, which becomes their context.
      if (previousEmitted) walk.out.pop();
      previousEmitted = false;
      listCriteria(walk, child, withContext(context, previous), depth + 1);
      continue;
    }
    if (!ITEM_TYPES.has(child.type)) continue;
    const blocks = nodesOf(child.content);
    const inline = blocks.filter((block) => !LIST_TYPES.has(block.type) && block.type !== 'codeBlock');
    const nested = blocks.filter((block) => LIST_TYPES.has(block.type));
    const text = oneLine(inlineText(walk, inline));
    previous = text;
    previousEmitted = false;
    if (nested.length === 0) {
      if (text !== '') {
        const before = walk.out.length;
        emit(walk, withContext(context, text), 'list');
        previousEmitted = walk.out.length > before;
      }
    } else {
      for (const inner of nested) listCriteria(walk, inner, withContext(context, text), depth + 1);
    }
    for (const block of blocks) if (block.type === 'codeBlock') codeBlock(walk, block, true);
  }
}

/** A table cell that only numbers its row: `1`, `2.`, `AC1`, `AC-2`, `#3`. */
const NUMBERING = /^(#|[A-Za-z]{1,4}[-\s]?)?\d{1,4}[.)]?$/;
const CRITERION_COLUMN =
  /^(acceptance )?criteri(on|a)$|^ac$|^description$|^requirement$|^expected( result| behaviou?r)?$/;
const STEP_COLUMN = /^(given|when|then|and|but)$/;

const NUMBER_COLUMN = /^(|#|no|nr|number|id|ac|ac id|ac no)$/;

/**
 * A table in a section holds criteria when it has no header row, or its header names a criterion or
 * Given/When/Then column, or it has one column besides a numbering one. A table with other headings
 * (`Code | Type | Value`) is data the criteria refer to.
 */
function isCriteriaTable(columns: readonly string[]): boolean {
  if (columns.length === 0) return true;
  if (columns.some((name) => CRITERION_COLUMN.test(name) || STEP_COLUMN.test(name))) return true;
  return columns.filter((name) => !NUMBER_COLUMN.test(name)).length <= 1;
}

/** The criteria of a table: one per body row (a row of header cells only is the header). */
function tableCriteria(walk: Walk, table: AdfNode): void {
  const rows = nodesOf(table.content).filter((row) => row.type === 'tableRow');
  let header: string[] | undefined;
  for (const row of rows) {
    walk.visits += 1;
    if (walk.visits > MAX_VISITS) return;
    const cells = nodesOf(row.content).filter(
      (cell) => cell.type === 'tableCell' || cell.type === 'tableHeader',
    );
    const texts = cells.map((cell) => oneLine(inlineText(walk, cell.content)));
    if (header === undefined && cells.length > 0 && cells.every((cell) => cell.type === 'tableHeader')) {
      header = texts.map(titleKey);
      continue;
    }
    const columns = header ?? [];
    if (!isCriteriaTable(columns)) return;
    const chosen = columns.some((name) => CRITERION_COLUMN.test(name) || STEP_COLUMN.test(name))
      ? texts.flatMap((text, index) => {
          const name = columns[index] ?? '';
          if (CRITERION_COLUMN.test(name)) return [text];
          if (!STEP_COLUMN.test(name) || text === '') return [];
          const keyword = name.charAt(0).toUpperCase() + name.slice(1);
          return [new RegExp(`^${name}\\b`, 'i').test(text) ? text : `${keyword} ${text}`];
        })
      : texts;
    const meaningful = chosen.filter((text) => text !== '');
    const words = meaningful.length > 1 ? meaningful.filter((text) => !NUMBERING.test(text)) : meaningful;
    const joined = words.join(columns.some((name) => STEP_COLUMN.test(name)) ? ' ' : ' — ');
    if (joined !== '' && !(words.length === 1 && NUMBERING.test(joined))) emit(walk, joined, 'table');
  }
}

// ─── blocks ─────────────────────────────────────────────────────────────────────────────────────────

function codeBlock(walk: Walk, node: AdfNode, active: boolean): void {
  const language = attrString(node.attrs, 'language')?.trim().toLowerCase();
  const text = inlineText(walk, node.content);
  const gherkin =
    (language !== undefined && GHERKIN_LANGUAGES.has(language)) ||
    (active && language === undefined && text.split('\n').some(startsGherkin));
  if (gherkin) emitScenarios(walk, text, false);
}

function hasOutcomeLine(text: string): boolean {
  return text.split('\n').some((line) => /^\s*Then(\s|$)/i.test(line));
}

/** Is this paragraph part of a Given/When/Then scenario (its first line a step or a Scenario line)? */
function isGherkinParagraph(text: string): boolean {
  const first = text.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && startsGherkin(first);
}

/**
 * Walks a list of sibling blocks. `active`: the blocks are in a criteria section already (a field, an
 * expand titled so, a panel inside a section). A heading or a label opens a section among these
 * siblings only.
 */
function walkBlocks(walk: Walk, content: readonly unknown[], active: boolean, depth: number): void {
  if (depth > MAX_DEPTH) return;
  let headingLevel: number | undefined;
  let labelRun = false;
  /** A section's first list holds its criteria; another list needs its own (sub)heading or label. */
  let listTaken = false;
  let gherkin: string[] = [];
  const flushGherkin = () => {
    // In a description prose may start with "When"; only a scenario with an outcome counts there.
    if (gherkin.length > 0) emitScenarios(walk, gherkin.join('\n'), !walk.field);
    gherkin = [];
  };
  for (const node of nodesOf(content)) {
    walk.visits += 1;
    if (walk.visits > MAX_VISITS) break;
    const text = node.type === 'paragraph' || node.type === 'heading' ? inlineText(walk, node.content) : '';
    if (node.type === 'paragraph' && isGherkinParagraph(text)) {
      // After a Then, a paragraph that does not go on with And/But/Then starts another scenario (so
      // prose after a scenario that happens to start with "When" is not read into it).
      if (gherkin.some(hasOutcomeLine) && !/^\s*(And|But|Then|\*)(\s|$)/i.test(text)) flushGherkin();
      gherkin.push(text);
      continue;
    }
    flushGherkin();
    if (node.type === 'heading') {
      const level = typeof node.attrs.level === 'number' ? node.attrs.level : 1;
      if (headingLevel !== undefined && level <= headingLevel) headingLevel = undefined;
      labelRun = false;
      listTaken = false;
      if (isCriteriaTitle(text, walk.titles)) headingLevel = level;
      continue;
    }
    if (node.type === 'rule') {
      headingLevel = undefined;
      labelRun = false;
      continue;
    }
    if (node.type === 'paragraph') {
      if (isLabel(node, text) && isCriteriaTitle(text, walk.titles)) {
        labelRun = true;
        listTaken = false;
        continue;
      }
      labelRun = false;
      if (isLabel(node, text)) listTaken = false;
      // A bold `Notes:` paragraph starts another part of the description.
      if (isLabel(node, text) && allStrong(node) && text.trim().endsWith(':')) headingLevel = undefined;
      else if (walk.field && text.trim() !== '' && !(isLabel(node, text) && text.trim().endsWith(':'))) {
        for (const line of text.split('\n')) emit(walk, line, 'field');
      }
      continue;
    }
    const inSection = active || headingLevel !== undefined || labelRun;
    if (LIST_TYPES.has(node.type)) {
      if (inSection && (walk.field || !listTaken)) {
        listCriteria(walk, node, '', depth + 1);
        listTaken = true;
      } else for (const item of nodesOf(node.content)) walkBlocks(walk, item.content, false, depth + 1);
    } else if (node.type === 'table') {
      if (inSection) tableCriteria(walk, node);
      else {
        for (const row of nodesOf(node.content)) {
          for (const cell of nodesOf(row.content)) walkBlocks(walk, cell.content, false, depth + 2);
        }
      }
    } else if (node.type === 'codeBlock') {
      codeBlock(walk, node, inSection);
    } else if (node.type === 'expand' || node.type === 'nestedExpand') {
      const title = attrString(node.attrs, 'title') ?? '';
      walkBlocks(walk, node.content, inSection || isCriteriaTitle(title, walk.titles), depth + 1);
    } else {
      // Panels, quotes, layouts, bodied extensions and anything unknown: their blocks, in the same section.
      walkBlocks(walk, node.content, inSection, depth + 1);
    }
  }
  flushGherkin();
}

// ─── entry points ───────────────────────────────────────────────────────────────────────────────────

/** The acceptance criteria of an ADF description (`doc`, a node, or an array of nodes), in order. */
export function findCriteria(description: unknown, options: CriteriaOptions = {}): FoundCriterion[] {
  const walk: Walk = { titles: options.titles ?? DEFAULT_CRITERIA_TITLES, visits: 0, out: [], field: false };
  const root = readNode(description);
  const content = Array.isArray(description)
    ? (description as unknown[])
    : root === undefined || typeof description === 'string'
      ? []
      : root.type === 'doc'
        ? root.content
        : [description];
  walkBlocks(walk, content, false, 0);
  return walk.out;
}

const BULLET = /^\s*(?:[-*•+#]|\d{1,3}[.)]|[a-z][.)])\s+/i;

/**
 * The acceptance criteria of a configured field's value: ADF is read as a criteria section; a string
 * line by line (a list marker is dropped, Given/When/Then lines make scenarios, a `Label:` line alone
 * is left out). Anything else (a number, an option object) has none.
 */
export function findCriteriaInField(value: unknown, options: CriteriaOptions = {}): FoundCriterion[] {
  const walk: Walk = { titles: options.titles ?? DEFAULT_CRITERIA_TITLES, visits: 0, out: [], field: true };
  if (typeof value === 'string') {
    const lines = value.split(/\r\n?|\n/);
    let gherkin: string[] = [];
    const flush = () => {
      if (gherkin.length > 0) emitScenarios(walk, gherkin.join('\n'), false);
      gherkin = [];
    };
    for (const line of lines) {
      const item = line.replace(BULLET, '');
      if (startsGherkin(item) || (gherkin.length > 0 && /^\s*(\||Examples\s*:)/i.test(item))) {
        gherkin.push(item);
        continue;
      }
      flush();
      const trimmed = item.trim();
      if (trimmed === '' || (trimmed.endsWith(':') && trimmed.length <= 80)) continue;
      emit(walk, trimmed, 'field');
    }
    flush();
    return walk.out;
  }
  const root = readNode(value);
  if (root === undefined || Array.isArray(value)) return [];
  walkBlocks(walk, root.type === 'doc' ? root.content : [value], true, 0);
  return walk.out;
}
