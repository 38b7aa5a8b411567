import type { Request } from 'express';

/** One cookie's value; the product sets only a couple (CSRF, the console's session), so no cookie-parsing middleware. */
export function readCookie(req: Request, cookie: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie) return rest.join('=') || null;
  }
  return null;
}
