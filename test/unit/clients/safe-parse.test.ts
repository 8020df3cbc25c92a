import { z } from 'zod';
import { safeParse } from '../../../src/clients/safe-parse';

describe('safeParse', () => {
  const hostile: unknown = JSON.parse('{"results":{"length":{"toString":"x","valueOf":1}}}');
  const schema = z.object({ results: z.array(z.string()).max(50) });

  it('zod itself throws on a length check of a hostile object (the reason this exists)', () => {
    expect(() => schema.safeParse(hostile)).toThrow(TypeError);
  });

  it('turns that into a failed result, and passes good input through', () => {
    const result = safeParse(schema, hostile);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.message).toMatch(/^Unreadable value/);
    expect(safeParse(schema, { results: ['a'] })).toEqual({ success: true, data: { results: ['a'] } });
  });
});
