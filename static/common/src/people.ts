/**
 * Who a view names, in words: the person the backend resolved for an account id (src/people), or a
 * neutral stand-in — never the raw account id. Pure; the Person component shows it.
 */
import type { PeopleDto, PersonDto } from '../../../src/api';

/** What the backend says for an account Jira does not name for the viewer (src/people/resolve-people.ts). */
export const UNKNOWN_PERSON_NAME = 'Unknown user';

/** The person behind `accountId` as the view resolved them, else "Unknown user". */
export function personOf(people: PeopleDto | undefined, accountId: string): PersonDto {
  const person =
    people && Object.prototype.hasOwnProperty.call(people, accountId) ? people[accountId] : undefined;
  return person ?? { accountId, displayName: UNKNOWN_PERSON_NAME };
}
