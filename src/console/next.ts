/**
 * Where sign-in leads back to. A link in an e-mail opens a console page; without a session the
 * visitor signs in first and then lands on the page asked for, carried as `next`. Only a path of
 * this console is accepted: anything a browser could read as another site — `//host`, `/\host`,
 * `https:…`, their percent-encoded forms, dot segments that climb out of `/console` — is refused,
 * so the login form cannot be used to send staff elsewhere (no open redirect).
 */

const MAX_LENGTH = 2000;
const ORIGIN = 'http://console.invalid';

export function safeConsolePath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return null;
  // One leading slash and the console's own first segment: no scheme, no host, no second slash.
  if (!/^\/console(?:[/?]|$)/.test(raw)) return null;
  // Backslashes (browsers read them as slashes), whitespace and control characters, and the
  // encoded forms of slash, backslash, dot, percent and controls have no place in a console link.
  if (/[\\\s\x00-\x1f\x7f]/.test(raw) || /%(?:2f|5c|2e|25|[01][0-9a-f]|7f)/i.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, ORIGIN);
  } catch {
    return null;
  }
  // Whatever the URL parser would rewrite (dot segments, a fragment) is not taken as given.
  if (url.origin !== ORIGIN || `${url.pathname}${url.search}` !== raw) return null;
  // Signing in to land on the sign-in page again would go round in circles.
  if (url.pathname === '/console/login' || url.pathname === '/console/logout') return null;
  return raw;
}

/** The login page that leads back to `next` once signed in; the console's home needs no `next`. */
export function loginPath(next: string | null): string {
  return next && next !== '/console' ? `/console/login?next=${encodeURIComponent(next)}` : '/console/login';
}
