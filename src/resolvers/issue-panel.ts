/**
 * Issue panel resolvers: thin — access (the caller can see the issue) → payload → use case. Answers
 * carrying a stored sync error, and errors thrown, are worded for the caller (`answeredTo`).
 */
import { z } from 'zod';
import { RESOLVERS } from '../api';
import { answeredTo } from '../access/reader';
import { getIssuePanel } from '../sync/issue-panel-view';
import { previewContext } from '../sync/preview-context';
import { sendToSqai } from '../sync/send-to-sqai';
import { STORED_IN_PANEL, STORED_IN_SEND } from '../sync/to-dto';
import { defineResolver, emptyPayload, issueViewer } from './define';

const sendPayload = z.object({ force: z.boolean().optional() }).strict();

export const issuePanelResolvers = {
  [RESOLVERS.getIssuePanel]: defineResolver(
    RESOLVERS.getIssuePanel,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform, reader) =>
      answeredTo(platform, caller, reader, () => getIssuePanel(platform, caller, reader), STORED_IN_PANEL),
  ),

  [RESOLVERS.previewContext]: defineResolver(
    RESOLVERS.previewContext,
    { access: issueViewer, payload: emptyPayload },
    (caller, _input, platform, reader) =>
      answeredTo(platform, caller, reader, () => previewContext(platform, caller)),
  ),

  [RESOLVERS.sendToSqai]: defineResolver(
    RESOLVERS.sendToSqai,
    { access: issueViewer, payload: sendPayload },
    (caller, input, platform, reader) =>
      answeredTo(
        platform,
        caller,
        reader,
        () => sendToSqai(platform, caller, { force: input.force ?? false }),
        STORED_IN_SEND,
      ),
  ),
};
