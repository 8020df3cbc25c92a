/**
 * Renders an ADF description as HTML for the playground's issue view — display only, so that a
 * person trying the app sees the requirement the way Jira shows it. (The app itself converts ADF
 * to Markdown with a maintained library; this harness page needs nothing that careful.)
 */
import type { AdfNode } from '../jira-sim/store';

export const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const attr = (node: AdfNode, name: string): string => {
  const value = node.attrs?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};

function renderText(node: AdfNode): string {
  let html = escapeHtml(node.text ?? '');
  for (const mark of node.marks ?? []) {
    if (mark.type === 'strong') html = `<strong>${html}</strong>`;
    else if (mark.type === 'em') html = `<em>${html}</em>`;
    else if (mark.type === 'code') html = `<code>${html}</code>`;
    else if (mark.type === 'strike') html = `<s>${html}</s>`;
    else if (mark.type === 'link') {
      const href = typeof mark.attrs?.href === 'string' ? mark.attrs.href : '#';
      html = `<a href="${escapeHtml(href)}" target="_blank" rel="noreferrer">${html}</a>`;
    }
  }
  return html;
}

const children = (node: AdfNode): string => (node.content ?? []).map(renderNode).join('');

export function renderNode(node: AdfNode): string {
  switch (node.type) {
    case 'doc':
      return children(node);
    case 'text':
      return renderText(node);
    case 'paragraph':
      return `<p>${children(node)}</p>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(attr(node, 'level')) || 3));
      return `<h${level}>${children(node)}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>${children(node)}</ul>`;
    case 'orderedList':
      return `<ol>${children(node)}</ol>`;
    case 'listItem':
      return `<li>${children(node)}</li>`;
    case 'taskList':
      return `<ul class="tasks">${children(node)}</ul>`;
    case 'taskItem':
      return `<li>${attr(node, 'state') === 'DONE' ? '☑' : '☐'} ${children(node)}</li>`;
    case 'codeBlock':
      return `<pre><code>${children(node)}</code></pre>`;
    case 'blockquote':
      return `<blockquote>${children(node)}</blockquote>`;
    case 'panel':
      return `<div class="panel panel-${escapeHtml(attr(node, 'panelType'))}">${children(node)}</div>`;
    case 'expand':
      return `<details><summary>${escapeHtml(attr(node, 'title'))}</summary>${children(node)}</details>`;
    case 'rule':
      return '<hr>';
    case 'hardBreak':
      return '<br>';
    case 'mention':
      return `<span class="mention">${escapeHtml(attr(node, 'text'))}</span>`;
    case 'emoji':
      return escapeHtml(attr(node, 'text') || attr(node, 'shortName'));
    case 'status':
      return `<span class="lozenge">${escapeHtml(attr(node, 'text'))}</span>`;
    case 'date':
      return escapeHtml(new Date(Number(attr(node, 'timestamp'))).toISOString().slice(0, 10));
    case 'inlineCard':
      return `<a href="${escapeHtml(attr(node, 'url'))}">${escapeHtml(attr(node, 'url'))}</a>`;
    case 'mediaSingle':
      return `<div class="media">${children(node)}</div>`;
    case 'media':
      return `<span class="media-placeholder">Attachment: ${escapeHtml(attr(node, 'alt') || 'attachment')}</span>`;
    case 'table':
      return `<table>${children(node)}</table>`;
    case 'tableRow':
      return `<tr>${children(node)}</tr>`;
    case 'tableHeader':
      return `<th>${children(node)}</th>`;
    case 'tableCell':
      return `<td>${children(node)}</td>`;
    default:
      return children(node);
  }
}
