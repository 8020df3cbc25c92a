/**
 * People for a view: the account ids it names turned into display names and avatars, read as the
 * viewing user (Jira's bulkGetUsers, asUser), so Jira's privacy rules decide what they see.
 * One request per view. A person Jira does not name for the viewer — or a Jira that does not answer —
 * degrades to a neutral "Unknown user" / "Former user": never the raw account id, never a failed view.
 */
import type { PeopleDto, PersonDto } from '../api';
import { bulkGetUsers, type JiraUser, USER_BULK_LIMIT } from '../clients/jira-users';
import type { Deadline } from '../clients/upstream';
import { passConsentThrough } from '../platform/forge-errors';
import type { Platform } from '../platform/ports';

/** Shown for an account Jira does not return to the viewer (unknown, or not theirs to see). */
export const UNKNOWN_USER = 'Unknown user';
/** Shown for an account Jira returns without a name (deleted or deactivated, per the spec's `User`). */
export const FORMER_USER = 'Former user';

/** The avatar size the UIs show (Atlaskit's small avatar is 24 px; 48 keeps it sharp on HiDPI). */
const AVATAR_SIZES = ['48x48', '32x32', '24x24', '16x16'] as const;

/** The neutral stand-in for a person the viewer cannot be told about. */
export function unknownPerson(accountId: string): PersonDto {
  return { accountId, displayName: UNKNOWN_USER };
}

export interface ResolvePeopleOptions {
  deadline?: Deadline;
}

/**
 * `Record<accountId, PersonDto>` for every distinct, non-empty id in `accountIds`, in one Jira
 * request as the calling user. Only Forge's consent prompt passes through; any other failure is
 * logged and answered with the neutral stand-ins.
 */
export async function resolvePeople(
  platform: Pick<Platform, 'jira' | 'log'>,
  accountIds: Iterable<string | undefined>,
  options: ResolvePeopleOptions = {},
): Promise<PeopleDto> {
  const ids = distinctIds(accountIds);
  const people: PeopleDto = Object.create(null) as PeopleDto;
  for (const id of ids) people[id] = unknownPerson(id);
  if (ids.length === 0) return people;
  let users: JiraUser[];
  try {
    users = await bulkGetUsers(platform.jira, ids.slice(0, USER_BULK_LIMIT), {
      as: 'user',
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
  } catch (error) {
    passConsentThrough(error);
    platform.log.warn('Could not read people from Jira; showing them as unknown', {
      people: ids.length,
      error: error instanceof Error ? error.message : 'unknown error',
    });
    return people;
  }
  for (const user of users) {
    // Only the ids asked for: an answer naming others (e.g. `unknown` for a corrupted record) adds nothing.
    if (people[user.accountId]) people[user.accountId] = personOf(user);
  }
  return people;
}

function distinctIds(accountIds: Iterable<string | undefined>): string[] {
  const ids = new Set<string>();
  for (const id of accountIds) {
    const trimmed = id?.trim();
    if (trimmed) ids.add(trimmed);
  }
  return [...ids];
}

function personOf(user: JiraUser): PersonDto {
  const name = user.displayName?.trim();
  const displayName = name ? name : user.active === false ? FORMER_USER : UNKNOWN_USER;
  const avatarUrl = avatarOf(user.avatarUrls);
  return { accountId: user.accountId, displayName, ...(avatarUrl ? { avatarUrl } : {}) };
}

/** The largest avatar Jira gave, if it is an image URL a page may load (https, or an inline image). */
function avatarOf(avatarUrls: Record<string, string> | undefined): string | undefined {
  if (!avatarUrls) return undefined;
  for (const size of AVATAR_SIZES) {
    const url = avatarUrls[size];
    if (url && isImageUrl(url)) return url;
  }
  return undefined;
}

function isImageUrl(url: string): boolean {
  if (url.startsWith('data:image/')) return url.length <= 16_384;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
