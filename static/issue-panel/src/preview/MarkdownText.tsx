/**
 * A requirement's description — Markdown, as the app sends it to SQAI — shown readably: parsed with
 * mdast-util-from-markdown (the parser the tests use to check the ADF → Markdown conversion) and
 * rendered as React elements, never as HTML. Links open only when they are http(s). Redaction
 * placeholders (`[email-1]`) are highlighted (./Redacted.tsx).
 */
import { token } from '@atlaskit/tokens';
import type { Nodes, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { useMemo, type CSSProperties, type ReactNode } from 'react';
import { cellStyle, tableStyle } from '../TestBody';
import { RedactedText } from './Redacted';

const codeStyle: CSSProperties = {
  margin: 0,
  padding: token('space.100'),
  borderRadius: token('radius.small', '3px'),
  backgroundColor: token('color.background.neutral'),
  font: token('font.code'),
  fontSize: 12,
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
};
const inlineCodeStyle: CSSProperties = { font: token('font.code'), fontSize: '0.9em' };
const quoteStyle: CSSProperties = {
  margin: 0,
  paddingInlineStart: token('space.150'),
  borderInlineStart: `${token('border.width.selected')} solid ${token('color.border')}`,
  color: token('color.text.subtle'),
};
const blockStyle: CSSProperties = { margin: `0 0 ${token('space.100')}`, overflowWrap: 'anywhere' };

function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Headings inside the panel start below the preview's own (h3): # → h4, deeper → h5/h6. */
function headingTag(depth: number): 'h4' | 'h5' | 'h6' {
  return depth <= 1 ? 'h4' : depth === 2 ? 'h5' : 'h6';
}

function renderTable(node: Table, key: number): ReactNode {
  const [head, ...body] = node.children;
  return (
    <table key={key} style={tableStyle}>
      {head ? (
        <thead>
          <tr>
            {head.children.map((cell, index) => (
              <th key={index} scope="col" style={cellStyle}>
                {renderChildren(cell.children)}
              </th>
            ))}
          </tr>
        </thead>
      ) : null}
      <tbody>
        {body.map((row, rowIndex) => (
          <tr key={rowIndex}>
            {row.children.map((cell, index) => (
              <td key={index} style={cellStyle}>
                {renderChildren(cell.children)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function renderChildren(children: readonly RootContent[]): ReactNode[] {
  return children.map((child, index) => renderNode(child, index));
}

function renderNode(node: Nodes, key: number): ReactNode {
  switch (node.type) {
    case 'root':
      return <div key={key}>{renderChildren(node.children)}</div>;
    case 'heading': {
      const Tag = headingTag(node.depth);
      return (
        <Tag key={key} style={blockStyle}>
          {renderChildren(node.children)}
        </Tag>
      );
    }
    case 'paragraph':
      return (
        <p key={key} style={blockStyle}>
          {renderChildren(node.children)}
        </p>
      );
    case 'text':
      return <RedactedText key={key} text={node.value} />;
    case 'strong':
      return <strong key={key}>{renderChildren(node.children)}</strong>;
    case 'emphasis':
      return <em key={key}>{renderChildren(node.children)}</em>;
    case 'delete':
      return <del key={key}>{renderChildren(node.children)}</del>;
    case 'inlineCode':
      return (
        <code key={key} style={inlineCodeStyle}>
          <RedactedText text={node.value} />
        </code>
      );
    case 'code':
      return (
        <pre key={key} style={{ ...codeStyle, ...blockStyle }}>
          <RedactedText text={node.value} />
        </pre>
      );
    case 'break':
      return <br key={key} />;
    case 'thematicBreak':
      return <hr key={key} />;
    case 'blockquote':
      return (
        <blockquote key={key} style={{ ...quoteStyle, ...blockStyle }}>
          {renderChildren(node.children)}
        </blockquote>
      );
    case 'list': {
      const items = node.children.map((item, index) => (
        <li key={index}>
          {item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : null}
          {item.children.map((child, childIndex) =>
            // A tight list's paragraphs read as plain lines, as Jira shows them.
            child.type === 'paragraph' && node.spread !== true ? (
              <span key={childIndex}>{renderChildren(child.children)}</span>
            ) : (
              renderNode(child, childIndex)
            ),
          )}
        </li>
      ));
      return node.ordered ? (
        <ol key={key} start={node.start ?? 1} style={blockStyle}>
          {items}
        </ol>
      ) : (
        <ul key={key} style={blockStyle}>
          {items}
        </ul>
      );
    }
    case 'link': {
      const href = safeHref(node.url);
      const text = renderChildren(node.children);
      return href ? (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer">
          {text}
        </a>
      ) : (
        <span key={key}>{text}</span>
      );
    }
    case 'image':
      return <span key={key}>{node.alt ? `[image: ${node.alt}]` : '[image]'}</span>;
    case 'table':
      return renderTable(node, key);
    case 'html':
      return node.value;
    default:
      return 'value' in node && typeof node.value === 'string'
        ? node.value
        : 'children' in node
          ? renderChildren(node.children)
          : null;
  }
}

export function MarkdownText({
  markdown,
  testId = 'description-text',
}: {
  markdown: string;
  testId?: string;
}) {
  const tree = useMemo(
    () => fromMarkdown(markdown, { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] }),
    [markdown],
  );
  return <div data-testid={testId}>{renderChildren(tree.children)}</div>;
}
