import { withoutErrorsFor } from '../../../static/common/src/fieldErrors';

describe('withoutErrorsFor', () => {
  it('drops the errors of the edited fields and keeps the others', () => {
    expect(withoutErrorsFor({ a: 'bad a', b: 'bad b' }, ['a'])).toEqual({ b: 'bad b' });
  });

  it('answers the same object when no edited field had an error', () => {
    const errors: Partial<Record<'a' | 'b', string>> = { b: 'bad b' };
    expect(withoutErrorsFor(errors, ['a'])).toBe(errors);
  });
});
