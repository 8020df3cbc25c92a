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
import { defineResolver, emptyPayload, issueViewer, issueViewerBesideReads } from './define';

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

  // The access check runs beside the send's reads (the send writes and sends nothing before it answered).
  [RESOLVERS.sendToSqai]: defineResolver(
    RESOLVERS.sendToSqai,
    { access: issueViewerBesideReads, payload: sendPayload },
    async (caller, input, platform) => {
      const { vouching, ...ref } = caller;
      const sending = sendToSqai(platform, ref, { force: input.force ?? false }, vouching);
      sending.catch(() => undefined); // awaited by answeredTo, once the reader is known
      const { projectAdmin } = await vouching;
      return answeredTo(platform, ref, { projectAdmin }, () => sending, STORED_IN_SEND);
    },
  ),
};
