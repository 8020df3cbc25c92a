/** Issue panel resolvers: thin — access (the caller can see the issue) → payload → IssuePanelService. */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { IssuePanelService } from '../sync/issue-panel-service';
import { defineResolver, issueViewer } from './define';

const emptyPayload = z.object({}).strict();
const sendPayload = z.object({ force: z.boolean().optional() }).strict();

export const issuePanelResolvers = {
  [RESOLVERS.getIssuePanel]: defineResolver(
    RESOLVERS.getIssuePanel,
    { access: issueViewer, payload: emptyPayload },
    (ref, _input, platform) => new IssuePanelService(platform).view(ref),
  ),

  [RESOLVERS.previewContext]: defineResolver(
    RESOLVERS.previewContext,
    { access: issueViewer, payload: emptyPayload },
    (ref, _input, platform) => new IssuePanelService(platform).preview(ref),
  ),

  [RESOLVERS.sendToSqai]: defineResolver(
    RESOLVERS.sendToSqai,
    { access: issueViewer, payload: sendPayload },
    (ref, input, platform) => new IssuePanelService(platform).send(ref, input.force ?? false),
  ),
};
