import fc from 'fast-check';
import { parseWellFormedJson } from '../../../src/clients/well-formed-json';

const isWellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('parseWellFormedJson', () => {
  it('replaces lone surrogates in strings and keys, keeps pairs', () => {
    expect(parseWellFormedJson('{"a\\ud800":["x\\udc00y","😀",{"b":"\\ud83d\\ude00"}]}')).toEqual({
      'a\uFFFD': ['x\uFFFDy', '😀', { b: '😀' }],
    });
    expect(parseWellFormedJson('"\\udfff"')).toBe('\uFFFD');
  });

  it("keeps lone surrogates when asked to (loneSurrogates: 'keep'), and still throws on bad JSON", () => {
    expect(parseWellFormedJson('{"a\\ud800":"x\\udc00"}', { loneSurrogates: 'keep' })).toEqual({
      'a\uD800': 'x\uDC00',
    });
    expect(() => parseWellFormedJson('{', { loneSurrogates: 'keep' })).toThrow(SyntaxError);
  });

  it('copes with nesting far deeper than a recursive walk would', () => {
    const depth = 100_000;
    const text = `${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}`;
    let value = parseWellFormedJson(text);
    for (let level = 0; level < depth; level += 1) value = (value as unknown[])[0];
    expect(value).toBe('\uFFFD');
  });

  it('equals JSON.parse on well-formed text, and every string it returns is well-formed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, noise) => {
        const text = JSON.stringify([value, noise]);
        const parsed = parseWellFormedJson(text);
        if (isWellFormed(noise)) expect(parsed).toEqual(JSON.parse(text));
        // JSON.stringify escapes a lone surrogate as \udxxx and writes pairs as they are.
        expect(JSON.stringify(parsed)).not.toMatch(/\\u[dD][89a-fA-F]/);
      }),
      { numRuns: 1_000 },
    );
  });
});
