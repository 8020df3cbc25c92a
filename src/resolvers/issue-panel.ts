/** Issue panel resolvers: thin — context (issue + project from Forge) → payload → IssuePanelService. */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { IssuePanelService } from '../sync/issue-panel-service';
import { issueContextOf } from './context';
import { defineResolver, parsePayload } from './define';

const emptyPayload = z.object({}).strict();
const sendPayload = z.object({ force: z.boolean().optional() }).strict();

export const issuePanelResolvers = {
  [RESOLVERS.getIssuePanel]: defineResolver(
    RESOLVERS.getIssuePanel,
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      parsePayload(emptyPayload, payload);
      return new IssuePanelService(platform).view(ref);
    },
  ),

  [RESOLVERS.previewContext]: defineResolver(
    RESOLVERS.previewContext,
    async ({ context, payload }, platform) => {
      const ref = issueContextOf(context);
      parsePayload(emptyPayload, payload);
      return new IssuePanelService(platform).preview(ref);
    },
  ),

  [RESOLVERS.sendToSqai]: defineResolver(RESOLVERS.sendToSqai, async ({ context, payload }, platform) => {
    const ref = issueContextOf(context);
    const input = parsePayload(sendPayload, payload);
    return new IssuePanelService(platform).send(ref, input.force ?? false);
  }),
};
