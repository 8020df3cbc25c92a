/**
 * The disguises a hostile upstream might give a secret it echoes (issue 13 item 11), made
 * independently of src/platform/redact.ts so that its tests check it against another implementation.
 */
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const reversed = (text: string) => [...text].reverse().join('');

/** Every disguise a hostile upstream might use, by name. */
export function disguisesOf(secret: string): [string, string][] {
  return [
    ['raw', secret],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['every byte percent-encoded', [...Buffer.from(secret)].map((byte) => `%${byte.toString(16)}`).join('')],
    ['base64', b64(secret)],
    ['base64 after 1 byte', b64(`x${secret}`)],
    ['base64 after 2 bytes', b64(`xy${secret}`)],
    ['base64 of Basic credentials', `Basic ${b64(`client:${secret}`)}`],
    ['base64url', b64url(secret)],
    ['base64url after 1 byte', b64url(`:${secret}:`)],
    ['base64 spaced out', b64(secret).split('').join(' ')],
    ['reversed', reversed(secret)],
    ['reversed, spaced out', reversed(secret).split('').join(' ')],
    ['spaced out', secret.split('').join(' ')],
    ['dash-separated', secret.split('').join('-')],
    ['dot-separated', secret.split('').join('.')],
    ['separated by " · "', secret.split('').join(' · ')],
    ['separated by zero-width spaces', secret.split('').join('\u200b')],
    ['one character a line', secret.split('').join('\n')],
    ['hex', hex(secret)],
    ['HEX', hex(secret).toUpperCase()],
    ['hex bytes spaced out', hex(secret).replace(/(..)(?!$)/g, '$1 ')],
    ['upper-cased', secret.toUpperCase()],
  ];
}
