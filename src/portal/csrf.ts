import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const COOKIE = 'pd_csrf';

/** One cookie's value; the product sets only a couple, so no cookie-parsing middleware. */
export function readCookie(req: Request, cookie: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie) return rest.join('=') || null;
  }
  return null;
}

function cookieValue(req: Request): string | null {
  return readCookie(req, COOKIE);
}

/**
 * Cross-site request forgery protection for the public forms: a random cookie (SameSite=Strict,
 * HttpOnly) and, in the form, its HMAC under a server secret. A forged cross-site post carries
 * neither the cookie nor a token that matches it. Several instances must share CSRF_SECRET.
 */
export class Csrf {
  constructor(private readonly secret: string = randomBytes(32).toString('hex')) {}

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('hex');
  }

  /** The token for a form, setting the cookie when the browser has none yet. */
  issue(req: Request, res: Response): string {
    let nonce = cookieValue(req);
    if (!nonce || !/^[0-9a-f]{32}$/.test(nonce)) {
      nonce = randomBytes(16).toString('hex');
      res.cookie(COOKIE, nonce, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
    }
    return this.sign(nonce);
  }

  verify(req: Request, token: unknown): boolean {
    const nonce = cookieValue(req);
    if (!nonce || typeof token !== 'string' || !/^[0-9a-f]{64}$/.test(token)) return false;
    return timingSafeEqual(Buffer.from(this.sign(nonce), 'hex'), Buffer.from(token, 'hex'));
  }
}
