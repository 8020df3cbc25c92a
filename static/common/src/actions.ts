/**
 * The words for the actions both UIs offer, so one action has one name on every screen:
 * TRY_AGAIN repeats something that failed (a read, a poll that gave up, an action);
 * REFRESH re-reads what is shown and fine.
 */
export const TRY_AGAIN = 'Try again';
export const REFRESH = 'Refresh';
