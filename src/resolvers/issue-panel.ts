/** Issue panel resolvers: thin — access (the caller can see the issue) → payload → use case. */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { getIssuePanel } from '../sync/issue-panel-view';
import { previewContext } from '../sync/preview-context';
import { sendToSqai } from '../sync/send-to-sqai';
import { defineResolver, emptyPayload, issueViewer } from './define';

const sendPayload = z.object({ force: z.boolean().optional() }).strict();

export const issuePanelResolvers = {
  [RESOLVERS.getIssuePanel]: defineResolver(
    RESOLVERS.getIssuePanel,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform, reader) => getIssuePanel(platform, caller, reader),
  ),

  [RESOLVERS.previewContext]: defineResolver(
    RESOLVERS.previewContext,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform) => previewContext(platform, caller),
  ),

  [RESOLVERS.sendToSqai]: defineResolver(
    RESOLVERS.sendToSqai,
    { access: issueViewer, payload: sendPayload },
    (caller, input, platform) => sendToSqai(platform, caller, { force: input.force ?? false }),
  ),
};
