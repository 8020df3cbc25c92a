/** The handler of every operation the simulator implements, by the spec's operationId. */
import { getAttachmentContent } from './attachments';
import type { OperationHandler } from './context';
import { bulkFetchIssues, createIssue, getIssue, getRemoteIssueLinks } from './issues';
import { deleteIssueLink, getIssueLinkTypes, linkIssues } from './links';
import { getMyPermissions } from './permissions';
import { getIssueTypesForProject, getProject } from './projects';
import { getIssueProperty, setIssueProperty } from './properties';
import { searchAndReconsileIssuesUsingJql, searchAndReconsileIssuesUsingJqlPost } from './search';
import { bulkGetUsers, getCurrentUser } from './users';

export const HANDLERS: Readonly<Record<string, OperationHandler>> = {
  getMyPermissions,
  getProject,
  getIssueTypesForProject,
  getCurrentUser,
  bulkGetUsers,
  getIssue,
  bulkFetchIssues,
  createIssue,
  getRemoteIssueLinks,
  getIssueProperty,
  setIssueProperty,
  searchAndReconsileIssuesUsingJqlPost,
  searchAndReconsileIssuesUsingJql,
  getIssueLinkTypes,
  linkIssues,
  deleteIssueLink,
  getAttachmentContent,
};

export type { OperationContext, OperationHandler } from './context';
