import { getMyPermissions } from '../clients/jira';
import { AppError, isAppError } from '../errors';
import type { Platform } from '../platform/ports';
import { passConsentThrough } from '../platform/forge-errors';

/**
 * Whether the *calling user* (asUser) holds ADMINISTER_PROJECTS on the project. Any doubt — Jira
 * says no, the project is invisible to the user, Jira fails — is "no"; a 429 and Forge's consent
 * error go to the caller.
 */
export async function isProjectAdmin(platform: Platform, projectId: string): Promise<boolean> {
  try {
    const permissions = await getMyPermissions(platform.jira, { projectId }, ['ADMINISTER_PROJECTS'], {
      as: 'user',
    });
    return permissions.ADMINISTER_PROJECTS === true;
  } catch (error) {
    passConsentThrough(error);
    if (isAppError(error) && error.code === 'RATE_LIMITED') throw error;
    platform.log.warn('Project admin check failed; denying', {
      projectId,
      code: isAppError(error) ? error.code : 'UNKNOWN',
    });
    return false;
  }
}

/**
 * Settings are for project admins only: without ADMINISTER_PROJECTS on the project the page was
 * opened for, FORBIDDEN before anything is read or written.
 */
export async function requireProjectAdmin(platform: Platform, projectId: string): Promise<void> {
  if (!(await isProjectAdmin(platform, projectId))) throw new AppError('FORBIDDEN');
}
