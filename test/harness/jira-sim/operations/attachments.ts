/**
 * Attachments: getAttachmentContent (`GET /rest/api/3/attachment/content/{id}`).
 *
 * Jira's behaviour, as modelled (the operation in the Jira v3 spec; docs/forge-fidelity.md):
 * - Who may read it: whoever may see the issue it is on (*Browse projects* and issue security). An
 *   attachment that does not exist answers 404; one on an issue the caller cannot see 403 ("The user
 *   does not have the necessary permission").
 * - `redirect` (default `true`): 303 to the download URL on Atlassian's media store (`Location`);
 *   `redirect=false`: 200 with the bytes and the attachment's MIME type ("Clients that do not
 *   automatically follow redirects can set this to `false` to avoid making multiple requests").
 * - A `Range` header is not modelled (the whole content is answered).
 */
import type { SimResponse } from '../../sim-kit';
import { jiraError, type OperationContext, param, visibleIssue } from './context';

export function getAttachmentContent(ctx: OperationContext): SimResponse {
  const id = param(ctx, 'id');
  const attachment = ctx.store.attachments.get(id);
  if (!attachment) return jiraError(404, [`The attachment with id '${id}' does not exist`]);
  if (!visibleIssue(ctx, attachment.issueId)) {
    return jiraError(403, [`You do not have permission to view attachment with id: ${id}`]);
  }
  if (ctx.query.get('redirect') !== 'false') {
    const location = `https://api.media.atlassian.com/file/${attachment.id}-0000-4000-8000-000000000000/binary?client=sim&dl=true&name=${encodeURIComponent(attachment.filename)}`;
    return { status: 303, headers: { location }, body: '' };
  }
  return {
    status: 200,
    headers: { 'content-type': attachment.mimeType },
    body: attachment.content.toString('utf8'),
  };
}
