import { toResolverResult, transportError } from '../../../static/common/src/result';

describe('toResolverResult', () => {
  it('passes a success through', () => {
    expect(toResolverResult<{ a: number }>({ ok: true, data: { a: 1 } })).toEqual({
      ok: true,
      data: { a: 1 },
    });
  });
  it('passes a resolver error through, keeping its details', () => {
    const error = {
      code: 'VALIDATION',
      message: 'Some fields need attention.',
      remedy: 'Fix them.',
      fieldErrors: { 'xray.clientId': 'Enter the Xray Client ID.' },
    };
    expect(toResolverResult({ ok: false, error })).toEqual({ ok: false, error });
  });
  it('turns anything else into an INTERNAL error users can act on', () => {
    for (const raw of [undefined, null, 'oops', { ok: true }, { ok: false, error: 'x' }, []]) {
      const result = toResolverResult(raw);
      expect(result).toEqual({
        ok: false,
        error: transportError('The app answered in an unexpected format.'),
      });
    }
    expect(transportError('x').remedy).toMatch(/Reload the page/);
  });
});
