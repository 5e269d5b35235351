import type { ResolvedConfig, Website } from '../settings/config.js';

/** The permission the Payments API needs from a `dft_` token. */
export const PAYMENTS_WRITE = 'payments:write';

/** Who a request acts for, or the documented error it gets. */
export type AuthResult =
  | { ok: true; website: Website }
  | { ok: false; status: 400 | 401 | 403 | 404; message: string };

/** The value after `Bearer `, or `undefined` when the header is absent or another scheme. */
export function bearerCredential(header: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Resolves the website a request acts for, as the API pages describe: a `df_` key infers its
 * website (a `websiteId` given anyway must match), a `dft_` token needs `?websiteId=`, the
 * `payments:write` permission (or `*`) and access to that website. Messages never repeat the
 * credential.
 *
 * @example
 * authenticate(config, 'Bearer df_test', null) // { ok: true, website }
 */
export function authenticate(
  config: ResolvedConfig,
  authorization: string | undefined,
  websiteId: string | null,
): AuthResult {
  if (authorization === undefined || authorization.trim() === '') {
    return {
      ok: false,
      status: 401,
      message: 'Missing API key: send an Authorization: Bearer <key> header',
    };
  }
  const credential = bearerCredential(authorization);
  if (credential === undefined) {
    return {
      ok: false,
      status: 401,
      message: 'Invalid Authorization header: expected Bearer followed by an API key',
    };
  }

  if (credential.startsWith('dft_')) {
    const token = config.tokens.find((t) => t.token === credential);
    if (!token) return { ok: false, status: 401, message: 'Invalid API token' };
    if (websiteId === null || websiteId === '') {
      return {
        ok: false,
        status: 400,
        message: 'The websiteId query parameter is required with an account token (dft_)',
      };
    }
    if (!token.permissions.includes(PAYMENTS_WRITE) && !token.permissions.includes('*')) {
      return {
        ok: false,
        status: 403,
        message: `This token lacks the ${PAYMENTS_WRITE} permission`,
      };
    }
    const website = config.websites.find((w) => w.id === websiteId);
    if (!website) return { ok: false, status: 404, message: 'Website not found' };
    if (token.websites !== '*' && !token.websites.includes(website.id)) {
      return { ok: false, status: 403, message: 'This token does not have access to this website' };
    }
    return { ok: true, website };
  }

  const website = credential.startsWith('df_')
    ? config.websites.find((w) => w.apiKey === credential)
    : undefined;
  if (!website) return { ok: false, status: 401, message: 'Invalid API key' };
  if (websiteId !== null && websiteId !== '' && websiteId !== website.id) {
    return {
      ok: false,
      status: 403,
      message: 'This API key belongs to another website than the websiteId given',
    };
  }
  return { ok: true, website };
}
