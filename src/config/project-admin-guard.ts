import { getMyProjectPermissions } from '../clients/jira';
import { AppError, isAppError } from '../errors';
import type { Platform } from '../platform/ports';
import { passConsentThrough } from '../platform/forge-errors';

/**
 * Settings are for project admins only: the *calling user* (asUser) must hold ADMINISTER_PROJECTS
 * on the project the page was opened for. Any doubt — Jira says no, the project is invisible to the
 * user, Jira fails — ends in FORBIDDEN before anything is read or written.
 */
export async function requireProjectAdmin(platform: Platform, projectId: string): Promise<void> {
  let granted: boolean;
  try {
    const permissions = await getMyProjectPermissions(platform.jira, projectId, ['ADMINISTER_PROJECTS'], {
      as: 'user',
    });
    granted = permissions.ADMINISTER_PROJECTS === true;
  } catch (error) {
    passConsentThrough(error);
    if (isAppError(error) && error.code === 'RATE_LIMITED') throw error;
    platform.log.warn('Project admin check failed; denying', {
      projectId,
      code: isAppError(error) ? error.code : 'UNKNOWN',
    });
    granted = false;
  }
  if (!granted) throw new AppError('FORBIDDEN');
}
