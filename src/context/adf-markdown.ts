/**
 * ADF → Markdown for the SQAI context document (a requirement's Jira description as GitHub-flavoured Markdown).
 * Why `mdast-util-to-markdown` plus our own ADF → mdast step, and what each node maps to: docs/decisions/0004-adf-to-markdown.md.
 */
import { gfmStrikethroughToMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemToMarkdown } from 'mdast-util-gfm-task-list-item';
import { type Options, toMarkdown } from 'mdast-util-to-markdown';
import { collectText } from './adf/read';
import { adfToMdast, handleAdfBracket, type SerializeOptions } from './adf/to-mdast';

export interface AdfToMarkdownOptions extends SerializeOptions {
  /** Longest result wanted; a longer one is cut at a line boundary and ends with a truncation marker. */
  maxLength?: number;
}

const MARKDOWN: Options = {
  bullet: '-',
  bulletOther: '*',
  bulletOrdered: '.',
  // `*` for emphasis too: the printer may write a letter next to a delimiter as a character reference
  // (`~~x~~&#x30;`), which turns a bare intraword `_` in the text into one that can pair with an `_`
  // delimiter; no `_` delimiters, no pairing.
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
  incrementListMarker: true,
  handlers: { adfBracket: handleAdfBracket },
  // A literal `\` before a letter is left bare by default, but the letter may later be written as a
  // character reference to let a following `**` open (`\&#x41;**!**`), and `\&` is an escaped `&`:
  // escape such a backslash so the text survives.
  // And `<` before anything but a space is escaped: by default `<a@b>` is left as it is, which is an
  // email autolink that swallows the brackets.
  unsafe: [
    { character: '\\', after: '[^!-/:-@[-`{-~]', inConstruct: 'phrasing' },
    { character: '<', after: '\\S', inConstruct: 'phrasing' },
  ],
  extensions: [
    // No column padding: padding every cell to the widest one costs size and reads no better.
    gfmTableToMarkdown({ tablePipeAlign: false }),
    gfmStrikethroughToMarkdown(),
    gfmTaskListItemToMarkdown(),
  ],
};

/**
 * Converts a Jira ADF document (unknown input: validate it) to readable GitHub-flavoured Markdown.
 * Never throws.
 */
export function adfToMarkdown(doc: unknown, options?: AdfToMarkdownOptions): string {
  const settings: AdfToMarkdownOptions = options ?? {};
  let markdown: string;
  try {
    markdown = toMarkdown(adfToMdast(doc, settings), MARKDOWN).trimEnd();
  } catch {
    markdown = plainText(doc);
  }
  const { maxLength } = settings;
  return typeof maxLength === 'number' ? truncateMarkdown(markdown, maxLength) : markdown;
}

function plainText(doc: unknown): string {
  try {
    return collectText(Array.isArray(doc) ? (doc as unknown[]) : [doc], ' ').trim();
  } catch {
    return '';
  }
}

const truncationMarker = (omitted: number, what = 'description'): string =>
  `\n\n[… ${what} truncated: ${omitted} more characters]`;

/** The fence a code block still open at the end of `markdown` needs to be closed, if any. */
function openFence(markdown: string): string | undefined {
  let open: { prefix: string; char: string; size: number } | undefined;
  for (const line of markdown.split('\n')) {
    const match = /^((?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*)(`{3,}|~{3,})(.*)$/.exec(
      line,
    );
    if (match === null) continue;
    const [, prefix = '', fence = '', rest = ''] = match;
    const char = fence.charAt(0);
    if (open === undefined) {
      open = { prefix: prefix.replace(/[^>\s]/g, ' '), char, size: fence.length };
    } else if (char === open.char && fence.length >= open.size && rest.trim() === '') {
      open = undefined;
    }
  }
  return open === undefined ? undefined : `${open.prefix}${open.char.repeat(open.size)}`;
}

/**
 * Cuts `markdown` to at most `maxLength` characters at a line boundary (a word boundary if one line is
 * too long), closes a code fence left open and appends a marker saying how much was cut. A `maxLength`
 * shorter than the marker itself yields the marker alone. `what` names what was cut in the marker
 * (`[… page truncated: 120 more characters]`).
 */
export function truncateMarkdown(markdown: string, maxLength: number, what = 'description'): string {
  const limit = Number.isFinite(maxLength) ? Math.max(0, Math.floor(maxLength)) : markdown.length;
  if (markdown.length <= limit) return markdown;
  let budget = limit - truncationMarker(markdown.length, what).length;
  for (;;) {
    if (budget <= 0) return truncationMarker(markdown.length, what).trimStart();
    let cut = markdown.lastIndexOf('\n', budget);
    if (cut <= 0) {
      cut = Math.max(markdown.lastIndexOf(' ', budget), 0) || budget;
      const code = markdown.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // never split a surrogate pair
    }
    const prefix = markdown.slice(0, cut).trimEnd();
    const fence = openFence(prefix);
    const kept = fence === undefined ? prefix : `${prefix}\n${fence}`;
    const result = kept + truncationMarker(markdown.length - prefix.length, what);
    if (result.length <= limit || kept.length === 0) return result;
    budget -= result.length - limit;
  }
}
