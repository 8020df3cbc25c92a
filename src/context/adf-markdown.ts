/**
 * ADF → Markdown for the SQAI context document (a requirement's Jira description as GitHub-flavoured
 * Markdown).
 *
 * Libraries evaluated (each run against a document holding every node and mark of the ADF spec, plus
 * malformed input):
 * - `mdast-util-from-adf` 2.1.1 (ADF → mdast; bitcrowd; one release, Oct 2025; ~800 downloads a month):
 *   throws on `status`, `mediaInline`, `placeholder`, `extension`, `bodiedExtension`, `inlineExtension`,
 *   `multiBodiedExtension` and any unknown node, and on missing attrs (`heading` without `attrs`) or `null`
 *   children; keeps only the first text node of a `codeBlock` (the rest of the code is lost); drops panel
 *   types and expand titles; prints mentions as `@@Name`, dates as raw epoch milliseconds, decisions as
 *   checked tasks, media as invisible HTML comments; ignores `orderedList.attrs.order`. It also pins
 *   `@types/mdast` 3 (the serializer below uses 4) and pulls `@atlaskit/adf-schema` 24 with ProseMirror into
 *   the runtime dependencies (~76 MB) for types only. Its pre-pass would have had to rewrite nearly every
 *   node, so it is not used.
 * - `adf-to-md` 1.2.1: no escaping; drops mentions, panels, tasks, decisions, dates, status, media, expands,
 *   layouts, extensions; `console.log`s; throws on malformed input.
 * - `adf-to-markdown` 1.0.1: string concatenation without escaping (a `|` in a cell breaks the table,
 *   `*`/`_`/`<` in text become markup); silently drops the text of `nestedExpand`, `layoutSection`, bodied
 *   extensions, `mediaGroup`, `embedCard` and unknown nodes; list items lose every child that is not a
 *   paragraph or list (code blocks); keeps one text node per code block; locale-dependent dates; throws on a
 *   non-`doc` root or a `null` child.
 * - `@atlaskit/editor-markdown-transformer` 6: Markdown → ADF only (`encode` throws "not implemented").
 * - `@atlaskit/adf-utils` 20 (`traverse`/`map`): recursive, assumes valid ADF (a non-array `content` throws),
 *   and brings `@atlaskit/adf-schema` 57, ProseMirror and feature-flag clients (~43 MB); the walk it offers
 *   is the easy part here.
 *
 * Picked: `mdast-util-to-markdown` 2 with the GFM extensions `mdast-util-gfm-table`, `-strikethrough` and
 * `-task-list-item` (syntax-tree/unified: tens of millions of downloads a month, 2.2.0–2.2.3 released Oct–Nov
 * 2026). The hard part of "readable Markdown that loses nothing" is printing: escaping of `* _ [ < # |` and
 * line-start markers, fences longer than any backtick run inside code, list numbering from a start, nested
 * list indentation, `|` escaped in table cells and inline code, adjacent lists kept apart. It does all of
 * that from mdast, with no React and no ProseMirror: the module bundles to ~87 KB minified (~29 KB gzipped;
 * 36 KB of it is the HTML entity table of `character-entities`). (`mdast-util-gfm` itself is not used: it
 * would add footnote and autolink-literal code we never print.) Printer edge cases found by the property
 * tests are closed here: two extra `unsafe` patterns and `*` for emphasis (see `MARKDOWN`), adjacent text and
 * code merged, code holding `\|` in a table cell written as text (see `./adf/to-mdast.ts`).
 *
 * The gap (ADF → mdast) is filled by one small serializer, `./adf/to-mdast.ts`, which maps:
 * - doc, paragraph, text, heading (level clamped 1–6), bulletList, orderedList (`attrs.order` → start),
 *   listItem, codeBlock (every text node, `language` as the fence info), blockquote, rule, hardBreak,
 *   table/tableRow/tableHeader/tableCell (GFM table; the first row is the header when it has header cells,
 *   else an empty header row is added; `colspan` pads; cell paragraphs, list items and code lines are joined
 *   with `<br>`), taskList/taskItem (`- [ ]` / `- [x]`, nested task lists nest);
 * - panel → blockquote led by `**Info:**` (Note, Tip, Warning, Error, Success); expand/nestedExpand → bold
 *   title + content; decisionList/decisionItem → `- ✓ …` (DECIDED) / `- ? …`; layoutSection/layoutColumn →
 *   columns in order; mention → `@Display Name` (`mentionName(accountId, attrs.text)`, then `attrs.text`);
 *   emoji → `attrs.text`, else `:shortName:`; date → `YYYY-MM-DD` (UTC); status → `[STATUS TEXT]`;
 *   inlineCard/blockCard/embedCard → `[name or url](url)`; media/mediaSingle/mediaGroup/mediaInline →
 *   `[attachment: alt or file name]` (a link for external media) plus caption;
 *   extension/inlineExtension/bodiedExtension/multiBodiedExtension(+extensionFrame) → `[extension: title or
 *   key]` followed by any body; placeholder → `[placeholder: hint]`; unknown nodes → their children, `text`,
 *   `attrs.text` or `attrs.url`;
 * - marks strong, em, strike, code, link (href, title; `javascript:`/`data:` links keep only their text) and
 *   subsup (`<sub>`/`<sup>`) are written; adjacent text sharing a mark shares one delimiter pair and
 *   whitespace is moved outside it; underline, textColor, backgroundColor, alignment, indentation, breakout,
 *   border, annotation, dataConsumer and fragment keep the text as it is.
 * Bracketed labels are a custom mdast node printed without escaping their brackets (`\[` would be noise for
 * the model reading it), unless the next character would make them a link or definition.
 *
 * Robustness: input is `unknown` and read with type guards (`./adf/read.ts`); nesting deeper than 100 is
 * flattened to its text (walked without recursion); a throwing `mentionName` falls back to `attrs.text`; if
 * printing ever threw, the plain text of the document is returned instead.
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

const truncationMarker = (omitted: number): string =>
  `\n\n[… description truncated: ${omitted} more characters]`;

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
 * shorter than the marker itself yields the marker alone.
 */
export function truncateMarkdown(markdown: string, maxLength: number): string {
  const limit = Number.isFinite(maxLength) ? Math.max(0, Math.floor(maxLength)) : markdown.length;
  if (markdown.length <= limit) return markdown;
  let budget = limit - truncationMarker(markdown.length).length;
  for (;;) {
    if (budget <= 0) return truncationMarker(markdown.length).trimStart();
    let cut = markdown.lastIndexOf('\n', budget);
    if (cut <= 0) {
      cut = Math.max(markdown.lastIndexOf(' ', budget), 0) || budget;
      const code = markdown.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // never split a surrogate pair
    }
    const prefix = markdown.slice(0, cut).trimEnd();
    const fence = openFence(prefix);
    const kept = fence === undefined ? prefix : `${prefix}\n${fence}`;
    const result = kept + truncationMarker(markdown.length - prefix.length);
    if (result.length <= limit || kept.length === 0) return result;
    budget -= result.length - limit;
  }
}
