/**
 * Reading untrusted Atlassian Document Format (ADF): every accessor takes `unknown` and answers with a
 * well-typed value or `undefined`, never throwing on a shape it did not expect. Children stay `unknown`
 * until the serializer reaches them, so arbitrarily deep input is only ever walked as far as it is read.
 */

export interface AdfMark {
  type: string;
  attrs: Readonly<Record<string, unknown>>;
}

export interface AdfNode {
  /** `''` when the input had no string `type`. */
  type: string;
  /** Only text nodes (or unknown nodes carrying a `text` string) have it. */
  text: string | undefined;
  attrs: Readonly<Record<string, unknown>>;
  marks: readonly AdfMark[];
  /** Raw children, read lazily with `nodesOf`. */
  content: readonly unknown[];
}

const NO_ATTRS: Readonly<Record<string, unknown>> = Object.freeze({});

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readMark(value: unknown): AdfMark | undefined {
  if (typeof value === 'string') return { type: value, attrs: NO_ATTRS };
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  return { type: value.type, attrs: isRecord(value.attrs) ? value.attrs : NO_ATTRS };
}

/**
 * One node of untrusted input. A bare string is read as a text node (it is text someone wrote, so it is
 * kept); anything else that is not an object is not a node.
 */
export function readNode(value: unknown): AdfNode | undefined {
  if (typeof value === 'string') {
    return { type: 'text', text: value, attrs: NO_ATTRS, marks: [], content: [] };
  }
  if (!isRecord(value)) return undefined;
  const { type, text, attrs, marks, content } = value;
  const marksList: AdfMark[] = [];
  if (Array.isArray(marks)) {
    for (const mark of marks as unknown[]) {
      const read = readMark(mark);
      if (read !== undefined) marksList.push(read);
    }
  }
  return {
    type: typeof type === 'string' ? type : '',
    text: typeof text === 'string' ? text : undefined,
    attrs: isRecord(attrs) ? attrs : NO_ATTRS,
    marks: marksList,
    content: Array.isArray(content) ? (content as unknown[]) : content === undefined ? [] : [content],
  };
}

/** The children of a node (or any list of values) that are nodes. */
export function nodesOf(content: readonly unknown[]): AdfNode[] {
  const nodes: AdfNode[] = [];
  for (const value of content) {
    const node = readNode(value);
    if (node !== undefined) nodes.push(node);
  }
  return nodes;
}

/** A non-blank string attribute, or `undefined`. */
export function attrString(attrs: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = attrs[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function attrNumber(attrs: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = attrs[key];
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : undefined;
}

export function attrRecord(
  attrs: Readonly<Record<string, unknown>>,
  key: string,
): Readonly<Record<string, unknown>> {
  const value = attrs[key];
  return isRecord(value) ? value : NO_ATTRS;
}

/** The words an inline leaf shows without having a `text` (mention, emoji, status, placeholder). */
export function attrText(node: AdfNode): string | undefined {
  return attrString(node.attrs, 'text') ?? attrString(node.attrs, 'shortName');
}

/**
 * Every piece of text under `content`, in document order, walked with an explicit stack (no recursion)
 * and visiting each object once, so neither depth nor a (non-JSON) cycle can break it. Text nodes are
 * joined with `separator`, hard breaks become newlines, and leaves that only carry `attrs.text`
 * (mentions, emoji, status) contribute that.
 */
export function collectText(content: readonly unknown[], separator: string, limit = 1_000_000): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [...content].reverse();
  let visits = 0;
  while (stack.length > 0 && visits < limit) {
    visits += 1;
    const value = stack.pop();
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    const node = readNode(value);
    if (node === undefined) continue;
    if (node.text !== undefined) parts.push(node.text);
    else if (node.type === 'hardBreak') parts.push('\n');
    else {
      const shown = attrText(node);
      if (shown !== undefined) parts.push(shown);
    }
    for (let index = node.content.length - 1; index >= 0; index -= 1) stack.push(node.content[index]);
  }
  return parts.join(separator);
}
