import { withFieldError, withoutErrorsFor } from '../../../static/common/src/fieldErrors';

describe('withoutErrorsFor', () => {
  it('drops the errors of the edited fields and keeps the others', () => {
    expect(withoutErrorsFor({ a: 'bad a', b: 'bad b' }, ['a'])).toEqual({ b: 'bad b' });
  });

  it('answers the same object when no edited field had an error', () => {
    const errors: Partial<Record<'a' | 'b', string>> = { b: 'bad b' };
    expect(withoutErrorsFor(errors, ['a'])).toBe(errors);
  });
});

describe('withFieldError', () => {
  it("sets one field's error, leaving the others and the original object alone", () => {
    const errors: Partial<Record<'a' | 'b', string>> = { b: 'bad b' };
    expect(withFieldError(errors, 'a', 'bad a')).toEqual({ a: 'bad a', b: 'bad b' });
    expect(errors).toEqual({ b: 'bad b' });
  });

  it("removes the field's error when the message is undefined", () => {
    expect(withFieldError({ a: 'bad a', b: 'bad b' }, 'a', undefined)).toEqual({ b: 'bad b' });
  });
});
