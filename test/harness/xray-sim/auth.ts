/**
 * Xray Cloud authentication ("Authentication - REST v2"):
 *   POST {base}/api/v2/authenticate {"client_id","client_secret"} → 200, body a JSON string: the bearer
 *   token, a JWT valid for 24 hours (the documented example token's `exp` − `iat` is 86,400 s). Bad
 *   credentials → 401 {"error":"Authentication failed. Invalid client credentials!"} (the shape Xray's
 *   own xray-automation-js library is tested against); a malformed request → "400 BAD_REQUEST :
 *   text/plain : Wrong request syntax"; an unlicensed site → "401 UNAUTHORIZED : text/plain : The Xray
 *   license is not valid". An API key belongs to a site (tenant), so the token is bound to it and any
 *   regional host authenticates it; the data-residency check happens on the GraphQL call.
 *
 * Tokens are HS256 JWTs signed with a per-simulator secret (node:crypto), claims
 * {tenant, clientId, iat, exp, jti}; a token from another simulator instance does not verify.
 *
 * Xray's troubleshooting page warns that "occasionally, your authentication token may be revoked":
 * a token can stop working before its `exp`. `revoke(tenant)` makes every token issued so far for
 * the tenant answer 401, as a revoked one would; tokens issued afterwards work.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { json, text, type SimResponse } from '../sim-kit';
import type { XrayTenant } from './model';
import type { XrayStore } from './store';

export const TOKEN_TTL_SECONDS = 24 * 60 * 60;

export const AUTH_MESSAGES = {
  invalidCredentials: 'Authentication failed. Invalid client credentials!',
  /** Xray answers an unlicensed site in plain text. */
  licenseInvalid: 'Xray license is not valid',
  missingToken: 'Authentication failed. Authorization header with a Bearer token is required.',
  invalidToken: 'Authentication failed. Invalid token.',
  expiredToken: 'Authentication failed. The token has expired.',
} as const;

const claimsSchema = z.object({
  iss: z.literal('xray-simulator'),
  tenant: z.string(),
  clientId: z.string(),
  iat: z.number(),
  exp: z.number(),
  jti: z.string(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export class TokenAuthority {
  private readonly secret: Buffer;
  private issued = 0;
  /** Per tenant: tokens numbered up to this one (the counter in `jti`) are revoked. */
  private readonly revokedUpTo = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    secret?: Buffer,
  ) {
    this.secret = secret ?? randomBytes(32);
  }

  private sign(input: string): string {
    return createHmac('sha256', this.secret).update(input).digest('base64url');
  }

  issue(tenant: string, clientId: string): string {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: TokenClaims = {
      iss: 'xray-simulator',
      tenant,
      clientId,
      iat,
      exp: iat + TOKEN_TTL_SECONDS,
      jti: `${iat.toString(36)}-${(this.issued += 1).toString(36)}`,
    };
    const head = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
    return `${head}.${this.sign(head)}`;
  }

  /** Revokes every token issued so far for the tenant (they answer 401 from now on). */
  revoke(tenant: string): void {
    this.revokedUpTo.set(tenant, this.issued);
  }

  private isRevoked(claims: TokenClaims): boolean {
    const number = parseInt(claims.jti.split('-')[1] ?? '', 36);
    return Number.isNaN(number) || number <= (this.revokedUpTo.get(claims.tenant) ?? 0);
  }

  verify(
    token: string,
  ): { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' | 'revoked' } {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'invalid' };
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    const claims = claimsSchema.safeParse(decoded);
    if (!claims.success) return { ok: false, reason: 'invalid' };
    if (claims.data.exp * 1000 <= this.now().getTime()) return { ok: false, reason: 'expired' };
    if (this.isRevoked(claims.data)) return { ok: false, reason: 'revoked' };
    return { ok: true, claims: claims.data };
  }
}

const credentialsSchema = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });

export type AuthenticateOutcome =
  | { kind: 'response'; response: SimResponse; tenant?: XrayTenant }
  | { kind: 'authenticated'; tenant: XrayTenant; clientId: string };

/** Checks the body and the credentials; the caller applies the rate budget and issues the token. */
export function checkCredentials(store: XrayStore, body: string | undefined): AuthenticateOutcome {
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(body ?? '');
  } catch {
    return {
      kind: 'response',
      response: text(400, 'Wrong request syntax: the body must be JSON {"client_id","client_secret"}.'),
    };
  }
  const credentials = credentialsSchema.safeParse(parsedBody);
  if (!credentials.success) {
    const missing = credentials.error.issues[0]?.path[0];
    const field = typeof missing === 'string' ? missing : 'client_id';
    return { kind: 'response', response: text(400, `Wrong request syntax: "${field}" is required.`) };
  }
  const { client_id: clientId, client_secret: clientSecret } = credentials.data;
  const tenant = store.tenantByClientId(clientId);
  const expected = tenant?.apiKeys.get(clientId);
  if (!tenant || expected === undefined || !sameSecret(expected, clientSecret)) {
    return {
      kind: 'response',
      response: json(401, { error: AUTH_MESSAGES.invalidCredentials }),
      ...(tenant ? { tenant } : {}),
    };
  }
  return { kind: 'authenticated', tenant, clientId };
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const licenseInvalid = (): SimResponse => text(401, AUTH_MESSAGES.licenseInvalid);

/** Reads `Authorization: Bearer <jwt>`; answers 401 JSON for a missing, invalid or expired token. */
export function checkBearer(
  tokens: TokenAuthority,
  authorization: string | undefined,
): { ok: true; claims: TokenClaims } | { ok: false; response: SimResponse } {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return { ok: false, response: json(401, { error: AUTH_MESSAGES.missingToken }) };
  const verified = tokens.verify(match[1]);
  if (!verified.ok) {
    const message = verified.reason === 'expired' ? AUTH_MESSAGES.expiredToken : AUTH_MESSAGES.invalidToken;
    return { ok: false, response: json(401, { error: message }) };
  }
  return verified;
}
