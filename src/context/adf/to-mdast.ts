/**
 * The ADF → mdast serializer: maps every node and mark of the ADF spec (and anything else) onto the
 * mdast nodes that `mdast-util-to-markdown` + its GFM extensions print. See `../adf-markdown.ts` for
 * why this exists and what it fills in. Rules it keeps:
 * - total: any input gives a tree; a node it does not know keeps its text (children, `text`,
 *   `attrs.text`, `attrs.url`) instead of being dropped;
 * - bounded: nesting deeper than `MAX_DEPTH` is flattened to its text (walked without recursion), and at
 *   most `MAX_VISITS` nodes are visited (only a non-JSON object graph with shared subtrees gets there);
 * - only strings reach the tree (no `[object Object]`, no `undefined`).
 */
import type {
  BlockContent,
  Break,
  DefinitionContent,
  Html,
  InlineCode,
  List,
  ListItem,
  Literal,
  Paragraph,
  Parents,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
  TableRow,
  Text,
} from 'mdast';
import type { Info, State } from 'mdast-util-to-markdown';
import {
  type AdfMark,
  type AdfNode,
  attrNumber,
  attrRecord,
  attrString,
  attrText,
  collectText,
  nodesOf,
  readNode,
} from './read';

/** `[label]`, printed with its brackets unescaped (see `handleAdfBracket`). */
export interface AdfBracket extends Literal {
  type: 'adfBracket';
}

declare module 'mdast' {
  interface PhrasingContentMap {
    adfBracket: AdfBracket;
  }
  interface RootContentMap {
    adfBracket: AdfBracket;
  }
}

export interface SerializeOptions {
  /** Display name for a mention's account id (`text` is the mention's own `attrs.text`, if any). */
  mentionName?: (accountId: string, text?: string) => string | undefined;
}

export const MAX_DEPTH = 100;
export const MAX_VISITS = 1_000_000;

interface Walk {
  options: SerializeOptions;
  visits: number;
}

/** Nodes that live inside a paragraph (anything else met there is flattened into it). */
const INLINE_TYPES = new Set([
  'text',
  'hardBreak',
  'mention',
  'emoji',
  'date',
  'status',
  'inlineCard',
  'mediaInline',
  'inlineExtension',
  'placeholder',
]);

const PANEL_LABELS: Record<string, string> = {
  info: 'Info',
  note: 'Note',
  tip: 'Tip',
  warning: 'Warning',
  error: 'Error',
  success: 'Success',
  custom: 'Note',
};

// ─── entry ──────────────────────────────────────────────────────────────────────────────────────────

/** A `doc` (or a bare node, or an array of nodes) as an mdast root. */
export function adfToMdast(input: unknown, options: SerializeOptions = {}): Root {
  const walk: Walk = { options, visits: 0 };
  const root = readNode(input);
  const top = Array.isArray(input)
    ? nodesOf(input as unknown[])
    : root === undefined
      ? []
      : root.type === 'doc'
        ? nodesOf(root.content)
        : [root];
  const children: RootContent[] = blocks(walk, top, 0);
  return { type: 'root', children };
}

// ─── small builders ─────────────────────────────────────────────────────────────────────────────────

const text = (value: string): Text => ({ type: 'text', value });
/** Code spans are one line (a blank line inside one would end the paragraph). */
const inlineCode = (value: string): InlineCode => ({
  type: 'inlineCode',
  value: value.replace(/\r\n?|\n/g, ' '),
});
const html = (value: string): Html => ({ type: 'html', value });
const bracket = (label: string): AdfBracket => ({
  type: 'adfBracket',
  value: label.replace(/\s+/g, ' ').trim(),
});
const BR: Break = { type: 'break' };

function isBlank(node: PhrasingContent): boolean {
  if (node.type === 'text') return node.value.trim() === '';
  return node.type === 'break';
}

/** Leading and trailing whitespace text split off `children` (markers must hug non-space text). */
function peel(children: PhrasingContent[]): [PhrasingContent[], PhrasingContent[], PhrasingContent[]] {
  const inner = [...children];
  const lead: PhrasingContent[] = [];
  const trail: PhrasingContent[] = [];
  while (inner.length > 0) {
    const first = inner[0];
    if (first === undefined || first.type !== 'text') break;
    const match = /^\s+/.exec(first.value);
    if (match === null) break;
    lead.push(text(match[0]));
    const rest = first.value.slice(match[0].length);
    if (rest === '') inner.shift();
    else {
      inner[0] = text(rest);
      break;
    }
  }
  while (inner.length > 0) {
    const last = inner[inner.length - 1];
    if (last === undefined || last.type !== 'text') break;
    const match = /\s+$/.exec(last.value);
    if (match === null) break;
    trail.unshift(text(match[0]));
    const rest = last.value.slice(0, last.value.length - match[0].length);
    if (rest === '') inner.pop();
    else {
      inner[inner.length - 1] = text(rest);
      break;
    }
  }
  return [lead, inner, trail];
}

/**
 * Adjacent text (and adjacent inline code) as one node, as mdast expects: the printer escapes each node
 * on its own, so `0` + `1. ` would start an ordered list and two code spans would merge their fences.
 */
function merge(children: PhrasingContent[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const child of children) {
    const last = out[out.length - 1];
    if (last?.type === 'text' && child.type === 'text') out[out.length - 1] = text(last.value + child.value);
    else if (last?.type === 'inlineCode' && child.type === 'inlineCode') {
      out[out.length - 1] = inlineCode(last.value + child.value);
    } else out.push(child);
  }
  return out;
}

/** Paragraph content without blank edges (leading/trailing spaces and breaks); `undefined` if empty. */
function paragraph(children: PhrasingContent[]): Paragraph | undefined {
  const content = merge(children);
  while (content.length > 0 && content[0]?.type === 'break') content.shift();
  while (content.length > 0 && content[content.length - 1]?.type === 'break') content.pop();
  const [, inner] = peel(content);
  while (inner.length > 0 && inner[0]?.type === 'break') inner.shift();
  while (inner.length > 0 && inner[inner.length - 1]?.type === 'break') inner.pop();
  return inner.some((node) => !isBlank(node)) ? { type: 'paragraph', children: inner } : undefined;
}

const paragraphs = (...children: PhrasingContent[]): Paragraph[] => {
  const built = paragraph(children);
  return built === undefined ? [] : [built];
};

/** Phrasing on one line: breaks and newlines become spaces (headings, table cells, brackets). */
function singleLine(children: PhrasingContent[], breakAs: () => PhrasingContent): PhrasingContent[] {
  return children.map((child): PhrasingContent => {
    switch (child.type) {
      case 'break':
        return breakAs();
      case 'text':
        return text(child.value.replace(/[ \t]*[\r\n]+[ \t]*/g, ' '));
      case 'strong':
      case 'emphasis':
      case 'delete':
      case 'link':
        return { ...child, children: singleLine(child.children, breakAs) };
      default:
        return child;
    }
  });
}

/**
 * GFM unescapes `\|` in a table cell even inside a code span, so code holding `\|` cannot be written
 * there: it becomes plain (escaped) text.
 */
function pipeSafe(children: PhrasingContent[]): PhrasingContent[] {
  return children.map((child): PhrasingContent => {
    if (child.type === 'inlineCode' && child.value.includes('\\|')) return text(child.value);
    return 'children' in child ? { ...child, children: pipeSafe(child.children) } : child;
  });
}

/** Links inside a link are not Markdown: keep their text. */
function unlink(children: PhrasingContent[]): PhrasingContent[] {
  return children.flatMap((child): PhrasingContent[] => {
    if (child.type === 'link') return unlink(child.children);
    if (child.type === 'strong' || child.type === 'emphasis' || child.type === 'delete') {
      return [{ ...child, children: unlink(child.children) }];
    }
    return [child];
  });
}

/** Only URLs that cannot run code when the Markdown is rendered. */
function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const url = value.trim();
  if (url === '' || /^\s*(javascript|vbscript|data):/i.test(url)) return undefined;
  return url;
}

/** `YYYY-MM-DD` (UTC) for an ADF date's epoch-milliseconds timestamp. */
export function isoDate(timestamp: unknown): string | undefined {
  const millis =
    typeof timestamp === 'number' ? timestamp : typeof timestamp === 'string' ? Number(timestamp) : NaN;
  if (!Number.isFinite(millis)) return undefined;
  const date = new Date(millis);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return undefined;
  return date.toISOString().slice(0, 10);
}

// ─── inline content ─────────────────────────────────────────────────────────────────────────────────

type MarkKind = 'link' | 'strong' | 'em' | 'strike' | 'sub' | 'sup';
interface WrapMark {
  key: string;
  kind: MarkKind;
  url?: string;
  title?: string;
}
interface Item {
  node: PhrasingContent;
  marks: WrapMark[];
}

/**
 * The marks that change how text is written. `code` is applied to the leaf itself; underline,
 * textColor, backgroundColor, annotation, dataConsumer, fragment, border (and the block marks
 * alignment, indentation, breakout) only change its look, so the text is kept as it is.
 */
function wrapMarks(marks: readonly AdfMark[]): WrapMark[] {
  const found = new Map<string, WrapMark>();
  for (const mark of marks) {
    switch (mark.type) {
      case 'strong':
      case 'em':
      case 'strike':
        found.set(mark.type, { key: mark.type, kind: mark.type });
        break;
      case 'link': {
        const url = safeUrl(mark.attrs.href) ?? safeUrl(mark.attrs.url);
        const title = attrString(mark.attrs, 'title');
        if (url !== undefined) found.set('link', { key: `link ${url}`, kind: 'link', url, title });
        break;
      }
      case 'subsup': {
        const kind = mark.attrs.type === 'sub' ? 'sub' : mark.attrs.type === 'sup' ? 'sup' : undefined;
        if (kind !== undefined) found.set('subsup', { key: kind, kind });
        break;
      }
      default:
        break;
    }
  }
  return [...found.values()];
}

/** On a tie the outermost first: `<sup>` outside `**` keeps the delimiters next to letters. */
const MARK_ORDER: MarkKind[] = ['sup', 'sub', 'link', 'strong', 'em', 'strike'];

function wrap(mark: WrapMark, children: PhrasingContent[]): PhrasingContent[] {
  const [lead, inner, trail] = peel(children);
  if (!inner.some((node) => !isBlank(node))) return children;
  let wrapped: PhrasingContent[];
  switch (mark.kind) {
    case 'link':
      wrapped = [{ type: 'link', url: mark.url ?? '', title: mark.title ?? null, children: unlink(inner) }];
      break;
    case 'strong':
      wrapped = [{ type: 'strong', children: inner }];
      break;
    case 'em':
      wrapped = [{ type: 'emphasis', children: inner }];
      break;
    case 'strike':
      wrapped = [{ type: 'delete', children: inner }];
      break;
    case 'sub':
    case 'sup':
      wrapped = [html(`<${mark.kind}>`), ...inner, html(`</${mark.kind}>`)];
      break;
  }
  return [...lead, ...wrapped, ...trail];
}

/**
 * Adjacent leaves sharing a mark share one wrapper (`**a _b_**`, not `**a**` + `**_b_**`): take the
 * mark of the first marked leaf that covers the longest run, wrap that run, recurse inside it.
 */
function applyMarks(items: Item[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let index = 0;
  while (index < items.length) {
    const item = items[index];
    if (item === undefined) break;
    if (item.marks.length === 0) {
      out.push(item.node);
      index += 1;
      continue;
    }
    let best: WrapMark | undefined;
    let bestEnd = index + 1;
    for (const mark of item.marks) {
      let end = index + 1;
      while (end < items.length && items[end]?.marks.some((other) => other.key === mark.key)) end += 1;
      const better =
        best === undefined ||
        end > bestEnd ||
        (end === bestEnd && MARK_ORDER.indexOf(mark.kind) < MARK_ORDER.indexOf(best.kind));
      if (better) {
        best = mark;
        bestEnd = end;
      }
    }
    if (best === undefined) break;
    const chosen = best;
    const run = items
      .slice(index, bestEnd)
      .map((inner) => ({ node: inner.node, marks: inner.marks.filter((mark) => mark.key !== chosen.key) }));
    out.push(...wrap(chosen, applyMarks(run)));
    index = bestEnd;
  }
  return merge(out);
}

function mentionText(walk: Walk, node: AdfNode): string {
  const id = attrString(node.attrs, 'id');
  const own = attrString(node.attrs, 'text');
  let name: string | undefined;
  if (id !== undefined && walk.options.mentionName !== undefined) {
    try {
      const given: unknown = walk.options.mentionName(id, own);
      if (typeof given === 'string' && given.trim() !== '') name = given.trim();
    } catch {
      name = undefined;
    }
  }
  name ??= own?.trim();
  if (name === undefined) return '@user';
  return name.startsWith('@') ? name : `@${name}`;
}

function emojiText(node: AdfNode): string {
  const shown = attrString(node.attrs, 'text');
  if (shown !== undefined) return shown;
  const shortName = attrString(node.attrs, 'shortName');
  if (shortName !== undefined) return /^:.*:$/.test(shortName) ? shortName : `:${shortName}:`;
  return '';
}

/** `[attachment: name]` (or a link for external media), for media, mediaInline. */
function mediaLeaf(node: AdfNode): PhrasingContent {
  const name =
    attrString(node.attrs, 'alt') ??
    attrString(node.attrs, '__fileName') ??
    attrString(node.attrs, 'name') ??
    (node.attrs.type === 'link' ? 'link' : 'file');
  const label = `attachment: ${name}`;
  const url =
    node.attrs.type === 'external' || node.attrs.type === 'link' ? safeUrl(node.attrs.url) : undefined;
  return url === undefined
    ? bracket(label)
    : { type: 'link', url, title: null, children: [text(label.replace(/\s+/g, ' '))] };
}

/** A smart link (inlineCard, blockCard, embedCard): `[name](url)`, or its name, or nothing. */
function cardLeaf(node: AdfNode): PhrasingContent[] {
  const data = attrRecord(node.attrs, 'data');
  const url = safeUrl(node.attrs.url) ?? safeUrl(data.url);
  const name = attrString(data, 'name');
  if (url !== undefined) return [{ type: 'link', url, title: null, children: [text(name ?? url)] }];
  if (name !== undefined) return [text(name)];
  return node.attrs.datasource === undefined ? [] : [bracket('linked data')];
}

/** The title of an extension (macro): its text, its macro title, or its key. */
function extensionTitle(node: AdfNode): string {
  const parameters = attrRecord(node.attrs, 'parameters');
  const metadata = attrRecord(parameters, 'macroMetadata');
  const title = metadata.title;
  return (
    attrString(node.attrs, 'text') ??
    (typeof title === 'string' && title.trim() !== '' ? title : undefined) ??
    attrString(attrRecord(metadata, 'title'), 'value') ??
    attrString(parameters, 'extensionTitle') ??
    attrString(node.attrs, 'extensionKey') ??
    'extension'
  );
}

function dateText(node: AdfNode): string {
  const raw = node.attrs.timestamp;
  return isoDate(raw) ?? (typeof raw === 'string' || typeof raw === 'number' ? String(raw) : 'date');
}

function inlineItems(walk: Walk, nodes: readonly AdfNode[], depth: number): Item[] {
  const items: Item[] = [];
  const pushBreak = () => {
    const last = items[items.length - 1];
    if (last !== undefined && last.node.type !== 'break') items.push({ node: BR, marks: [] });
  };
  for (const node of nodes) {
    walk.visits += 1;
    if (walk.visits > MAX_VISITS) break;
    const marks = wrapMarks(node.marks);
    const leaf = (leafNode: PhrasingContent) => items.push({ node: leafNode, marks });
    if (depth > MAX_DEPTH) {
      leaf(text(collectText([node], ' ')));
      continue;
    }
    switch (node.type) {
      case 'text':
        if (node.text === undefined || node.text === '') break;
        leaf(node.marks.some((mark) => mark.type === 'code') ? inlineCode(node.text) : text(node.text));
        break;
      case 'hardBreak':
        items.push({ node: BR, marks: [] });
        break;
      case 'mention':
        leaf(text(mentionText(walk, node)));
        break;
      case 'emoji': {
        const shown = emojiText(node);
        if (shown !== '') leaf(text(shown));
        break;
      }
      case 'date':
        leaf(text(dateText(node)));
        break;
      case 'status': {
        const label = attrString(node.attrs, 'text');
        if (label !== undefined) leaf(bracket(label.toUpperCase()));
        break;
      }
      case 'inlineCard':
      case 'blockCard':
      case 'embedCard':
        for (const part of cardLeaf(node)) leaf(part);
        break;
      case 'media':
      case 'mediaInline':
        leaf(mediaLeaf(node));
        break;
      case 'inlineExtension':
      case 'extension':
        leaf(bracket(`extension: ${extensionTitle(node)}`));
        break;
      case 'placeholder': {
        const hint = attrString(node.attrs, 'text');
        if (hint !== undefined) leaf(bracket(`placeholder: ${hint}`));
        break;
      }
      case 'codeBlock': {
        const code = collectText(node.content, '');
        if (code !== '') leaf(inlineCode(code));
        continue; // its content is the code
      }
      default: {
        // A node this code does not know, or a block met inside a paragraph: its text, its children
        // (below), or what its attrs show.
        if (node.text !== undefined) {
          if (node.text !== '') leaf(text(node.text));
        } else if (node.content.length === 0) {
          const shown = attrText(node);
          const url = safeUrl(node.attrs.url);
          if (shown !== undefined) leaf(text(shown));
          else if (url !== undefined) leaf({ type: 'link', url, title: null, children: [text(url)] });
        }
        break;
      }
    }
    // Children: the content of containers, and anything malformed input hung under a leaf. Blocks met
    // here are set off by line breaks.
    if (node.content.length > 0) {
      const block = !INLINE_TYPES.has(node.type) && node.text === undefined;
      if (block) pushBreak();
      items.push(...inlineItems(walk, nodesOf(node.content), depth + 1));
      if (block) pushBreak();
    }
  }
  return items;
}

function inlines(walk: Walk, nodes: readonly AdfNode[], depth: number): PhrasingContent[] {
  return applyMarks(inlineItems(walk, nodes, depth));
}

// ─── block content ──────────────────────────────────────────────────────────────────────────────────

function isInline(node: AdfNode): boolean {
  return INLINE_TYPES.has(node.type) || (node.type === '' && node.text !== undefined);
}

/** Block content; runs of inline nodes met among blocks become paragraphs. */
function blocks(walk: Walk, nodes: readonly AdfNode[], depth: number): BlockContent[] {
  const out: BlockContent[] = [];
  let run: AdfNode[] = [];
  const flush = () => {
    if (run.length > 0) out.push(...paragraphs(...inlines(walk, run, depth)));
    run = [];
  };
  for (const node of nodes) {
    if (isInline(node)) {
      run.push(node);
      continue;
    }
    flush();
    out.push(...block(walk, node, depth + 1));
  }
  flush();
  return out;
}

/** Puts `lead` in front of the first paragraph of `content` (or in a paragraph of its own). */
function prepend(lead: PhrasingContent[], content: BlockContent[]): BlockContent[] {
  const [first, ...rest] = content;
  if (first?.type === 'paragraph') return [{ ...first, children: [...lead, ...first.children] }, ...rest];
  return [...paragraphs(...lead), ...content];
}

function listItem(children: BlockContent[], checked?: boolean): ListItem {
  const item: ListItem = { type: 'listItem', spread: false, children };
  if (checked !== undefined) item.checked = checked;
  return item;
}

/**
 * A bulleted, ordered, task or decision list. A list met directly inside a list (allowed for task lists,
 * seen in older documents for the others) nests under the item before it.
 */
function list(walk: Walk, node: AdfNode, depth: number): BlockContent[] {
  const items: ListItem[] = [];
  for (const child of nodesOf(node.content)) {
    walk.visits += 1;
    let item: ListItem;
    switch (child.type) {
      case 'listItem':
        item = listItem(blocks(walk, nodesOf(child.content), depth + 1));
        break;
      case 'taskItem':
      case 'blockTaskItem':
        item = listItem(blocks(walk, nodesOf(child.content), depth + 1), child.attrs.state === 'DONE');
        break;
      case 'decisionItem': {
        const marker = child.attrs.state === 'DECIDED' ? '✓ ' : '? ';
        item = listItem(prepend([text(marker)], blocks(walk, nodesOf(child.content), depth + 1)));
        break;
      }
      default: {
        const nested = block(walk, child, depth + 1);
        const previous = items[items.length - 1];
        if (nested.length === 1 && nested[0]?.type === 'list' && previous !== undefined) {
          previous.children.push(...nested);
          continue;
        }
        item = listItem(nested);
      }
    }
    if (item.children.length > 0) items.push(item);
  }
  if (items.length === 0) return [];
  const ordered = node.type === 'orderedList';
  const result: List = { type: 'list', ordered, spread: false, children: items };
  if (ordered) {
    // CommonMark list numbers have at most 9 digits, the last item's included.
    const order = attrNumber(node.attrs, 'order');
    const last = 999_999_999 - (items.length - 1);
    result.start = order !== undefined && order >= 0 ? Math.max(0, Math.min(Math.floor(order), last)) : 1;
  }
  return [result];
}

function isBlockContent(node: BlockContent | DefinitionContent): node is BlockContent {
  return node.type !== 'definition' && node.type !== 'footnoteDefinition';
}

/** The blocks of a table cell on one line: paragraphs and list items joined by `<br>`. */
function cellPhrasing(content: BlockContent[]): PhrasingContent[] {
  const segments: PhrasingContent[][] = [];
  for (const block of content) {
    switch (block.type) {
      case 'paragraph':
        segments.push(block.children);
        break;
      case 'heading':
        segments.push([{ type: 'strong', children: block.children }]);
        break;
      case 'code':
        for (const line of block.value.split(/\r?\n/)) {
          if (line.trim() !== '') segments.push([inlineCode(line)]);
        }
        break;
      case 'list':
        block.children.forEach((item, index) => {
          const marker =
            item.checked === true
              ? '☑ '
              : item.checked === false
                ? '☐ '
                : block.ordered === true
                  ? `${(block.start ?? 1) + index}. `
                  : '• ';
          const inner = cellPhrasing(item.children.filter(isBlockContent));
          segments.push([text(marker), ...inner]);
        });
        break;
      case 'blockquote':
        segments.push(cellPhrasing(block.children.filter(isBlockContent)));
        break;
      case 'table':
        for (const row of block.children) {
          const cells = row.children.filter((cell) => cell.children.some((child) => !isBlank(child)));
          segments.push(
            cells.flatMap((cell, index) => (index === 0 ? cell.children : [text(' / '), ...cell.children])),
          );
        }
        break;
      case 'html':
        segments.push([block]);
        break;
      default:
        break;
    }
  }
  const joined = segments
    .filter((segment) => segment.some((node) => !isBlank(node)))
    .flatMap((segment, index) => (index === 0 ? segment : [html('<br>'), ...segment]));
  return merge(pipeSafe(singleLine(joined, () => html('<br>'))));
}

function table(walk: Walk, node: AdfNode, depth: number): BlockContent[] {
  const rows: { header: boolean; cells: PhrasingContent[][] }[] = [];
  for (const rowNode of nodesOf(node.content)) {
    walk.visits += 1;
    const cellNodes = rowNode.type === 'tableRow' ? nodesOf(rowNode.content) : [rowNode];
    let header = false;
    const cells: PhrasingContent[][] = [];
    for (const cellNode of cellNodes) {
      walk.visits += 1;
      const isCell = cellNode.type === 'tableCell' || cellNode.type === 'tableHeader';
      header ||= cellNode.type === 'tableHeader';
      cells.push(cellPhrasing(blocks(walk, isCell ? nodesOf(cellNode.content) : [cellNode], depth + 1)));
      const colspan = attrNumber(cellNode.attrs, 'colspan');
      for (let extra = 1; colspan !== undefined && extra < Math.min(colspan, 64); extra += 1) cells.push([]);
    }
    if (cells.length > 0) rows.push({ header, cells });
  }
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map((row) => row.cells.length));
  const toRow = (cells: PhrasingContent[][]): TableRow => ({
    type: 'tableRow',
    children: Array.from({ length: width }, (_, index): TableCell => ({
      type: 'tableCell',
      children: cells[index] ?? [],
    })),
  });
  // GFM needs a header row: the first row if it has header cells, else an empty one.
  const body = rows.map((row) => toRow(row.cells));
  const children = rows[0]?.header === true ? body : [toRow([]), ...body];
  const result: Table = { type: 'table', align: Array.from({ length: width }, () => null), children };
  return [result];
}

/** Media inside mediaSingle / mediaGroup, and a caption if there is one. */
function media(walk: Walk, node: AdfNode, depth: number): BlockContent[] {
  const out: BlockContent[] = [];
  for (const child of nodesOf(node.content)) {
    walk.visits += 1;
    if (child.type === 'media' || child.type === 'mediaInline') {
      out.push(...paragraphs(...applyMarks([{ node: mediaLeaf(child), marks: wrapMarks(child.marks) }])));
      out.push(...blocks(walk, nodesOf(child.content), depth + 1));
    } else if (child.type === 'caption') {
      out.push(...paragraphs(...inlines(walk, nodesOf(child.content), depth + 1)));
    } else {
      out.push(...blocks(walk, [child], depth));
    }
  }
  return out;
}

function block(walk: Walk, node: AdfNode, depth: number): BlockContent[] {
  walk.visits += 1;
  if (walk.visits > MAX_VISITS) return [];
  if (depth > MAX_DEPTH) return paragraphs(text(collectText([node], ' ')));
  const children = () => blocks(walk, nodesOf(node.content), depth);
  switch (node.type) {
    case 'paragraph':
      return paragraphs(...inlines(walk, nodesOf(node.content), depth));
    case 'heading': {
      const level = attrNumber(node.attrs, 'level');
      const heading = paragraph(singleLine(inlines(walk, nodesOf(node.content), depth), () => text(' ')));
      if (heading === undefined) return [];
      const depthValue = Math.min(6, Math.max(1, Math.floor(level ?? 1))) as 1 | 2 | 3 | 4 | 5 | 6;
      return [{ type: 'heading', depth: depthValue, children: heading.children }];
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
    case 'decisionList':
      return list(walk, node, depth);
    case 'listItem':
    case 'taskItem':
    case 'blockTaskItem':
    case 'decisionItem':
      return list(walk, { ...node, type: 'bulletList', content: [node] }, depth);
    case 'codeBlock': {
      const value = collectText(node.content, '');
      const language = attrString(node.attrs, 'language')?.trim();
      const lang = language !== undefined && /^[\w#+.-]{1,40}$/.test(language) ? language : null;
      return value === '' && lang === null ? [] : [{ type: 'code', lang, value }];
    }
    case 'blockquote': {
      const content = children();
      return content.length === 0 ? [] : [{ type: 'blockquote', children: content }];
    }
    case 'panel': {
      const type = attrString(node.attrs, 'panelType') ?? 'info';
      const label =
        PANEL_LABELS[type] ??
        (/^[a-z]{1,20}$/i.test(type) ? type.charAt(0).toUpperCase() + type.slice(1) : 'Note');
      const lead: PhrasingContent[] = [{ type: 'strong', children: [text(`${label}:`)] }, text(' ')];
      return [{ type: 'blockquote', children: prepend(lead, children()) }];
    }
    case 'rule':
      return [{ type: 'thematicBreak' }, ...children()];
    case 'expand':
    case 'nestedExpand': {
      const title = attrString(node.attrs, 'title');
      const heading: BlockContent[] =
        title === undefined ? [] : paragraphs({ type: 'strong', children: [text(title.trim())] });
      return [...heading, ...children()];
    }
    case 'mediaSingle':
    case 'mediaGroup':
      return media(walk, node, depth);
    case 'media':
      return media(walk, { ...node, type: 'mediaGroup', content: [node] }, depth);
    case 'blockCard':
    case 'embedCard':
      return [
        ...paragraphs(...applyMarks(cardLeaf(node).map((leaf) => ({ node: leaf, marks: [] })))),
        ...children(),
      ];
    case 'table':
      return table(walk, node, depth);
    case 'extension':
    case 'bodiedExtension':
    case 'multiBodiedExtension':
      // The body of a bodied extension, and each frame of a multi-bodied one, follow the placeholder.
      return [...paragraphs(bracket(`extension: ${extensionTitle(node)}`)), ...children()];
    case 'doc':
    case 'layoutSection':
    case 'layoutColumn':
    case 'extensionFrame':
    case 'tableRow':
    case 'tableCell':
    case 'tableHeader':
    case 'caption':
      return children();
    default: {
      if (node.text !== undefined) return [...paragraphs(text(node.text)), ...children()];
      if (node.content.length > 0) return children();
      return paragraphs(...inlines(walk, [node], depth));
    }
  }
}

// ─── printing the custom node ───────────────────────────────────────────────────────────────────────

/** Escapes `[` and `]` that are not escaped yet (an odd run of backslashes before them). */
function escapeBrackets(value: string): string {
  let out = '';
  let backslashes = 0;
  for (const char of value) {
    if ((char === '[' || char === ']') && backslashes % 2 === 0) out += '\\';
    out += char;
    backslashes = char === '\\' ? backslashes + 1 : 0;
  }
  return out;
}

/**
 * Prints `adfBracket` as `[label]`: the label is escaped like any text, the brackets are not, unless the
 * next character would turn them into a link, a reference or a definition (`(`, `[`, `:`).
 */
export function handleAdfBracket(
  node: AdfBracket,
  _parent: Parents | undefined,
  state: State,
  info: Info,
): string {
  const label = escapeBrackets(state.safe(node.value, { before: '[', after: ']' }));
  // Followed by `(`, `[` or `:`, the label would become a link or a definition: both brackets are
  // escaped then (an escaped close alone leaves the open one to pair with a later `]:`, which made
  // `[attachment: file\]\( date\[x]:smile:` a definition and hid all its text).
  return /^[([:]/.test(info.after) ? `\\[${label}\\]` : `[${label}]`;
}
handleAdfBracket.peek = (): string => '[';
