/**
 * One wording of what Jira answered (`failureOf` in src/clients/upstream.ts), read from the failure
 * as typed data (`upstreamFailureIn`: kind and status), never parsed back out of a message.
 */
import { failFor } from '../../../src/clients/jira';
import { failureIn, UpstreamError, upstreamFailureIn } from '../../../src/clients/upstream';
import { AppError, isAppError, withPurpose } from '../../../src/errors';

function thrownBy(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('nothing thrown');
}

describe('what Jira answered, worded once', () => {
  it('an unexpected 4xx carries its status as data and reads "Jira answered 400 Bad Request"', () => {
    const error = thrownBy(() =>
      failFor('Failed to link issue 10211 to 10103', 400, { errorMessages: ['No link type'] }),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.detail).toBe('Failed to link issue 10211 to 10103: Jira answered 400 Bad Request.');
    expect(error.message).toBe(error.detail);
    const answer = upstreamFailureIn(error);
    expect(answer).toBeInstanceOf(UpstreamError);
    expect(answer).toMatchObject({ kind: 'http', status: 400 });
    // The body stays on the cause (for the redacting log), never in what users read.
    expect(answer?.body).toBe('{"errorMessages":["No link type"]}');
    expect(failureIn('Jira', error)).toBe('Jira answered 400 Bad Request');
  });

  it('401/403 and 404 keep their own codes', () => {
    expect(thrownBy(() => failFor('Failed to read project DEMO', 403, {})).code).toBe('JIRA_UNAUTHORIZED');
    expect(thrownBy(() => failFor('Failed to read project DEMO', 404, {})).code).toBe('PROJECT_NOT_FOUND');
  });

  it('words a 5xx, a timeout and a lost connection behind any error the same way', () => {
    const wrap = (cause: UpstreamError) => withPurpose('JIRA_UNAVAILABLE', 'Failed to link', { cause });
    expect(failureIn('Jira', wrap(new UpstreamError('x', 'http', 503)))).toBe(
      'Jira answered 503 Service Unavailable',
    );
    expect(failureIn('Jira', wrap(new UpstreamError('x', 'timeout')))).toBe('Jira did not answer in time');
    expect(failureIn('Jira', wrap(new UpstreamError('x', 'network')))).toBe('the connection to Jira failed');
    // Two causes deep (an error reworded to name issue keys keeps the one it rewords as its cause).
    const reworded = new AppError('JIRA_UNAVAILABLE', {
      message: 'Could not link DEMO-11 to DEMO-1',
      cause: wrap(new UpstreamError('x', 'http', 502)),
    });
    expect(failureIn('Jira', reworded)).toBe('Jira answered 502 Bad Gateway');
  });

  it('reads nothing out of a message: without a typed answer behind it, there is none', () => {
    const legacy = new AppError('INTERNAL', { message: 'Failed to link issue 1 to 2 (Jira answered 503)' });
    expect(upstreamFailureIn(legacy)).toBeUndefined();
    expect(failureIn('Jira', legacy)).toBeUndefined();
    expect(failureIn('Jira', 'Jira answered 503')).toBeUndefined();
  });
});
