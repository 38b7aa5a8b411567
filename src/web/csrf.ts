import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from './cookies';

const COOKIE = 'pd_csrf';

function cookieValue(req: Request): string | null {
  return readCookie(req, COOKIE);
}

/**
 * Cross-site request forgery protection for the forms of the public site and the console: a random cookie (SameSite=Strict,
 * HttpOnly) and, in each form, a token of its own — a nonce for that one rendering and its HMAC
 * under a server secret together with the cookie. A forged cross-site post carries neither the
 * cookie nor a token that matches it. Because every rendering has its own nonce, a verified token
 * also names the form it came from: posting that form again is recognisably the same submission
 * (see `verify`). Several instances must share CSRF_SECRET.
 */
export class Csrf {
  constructor(private readonly secret: string = randomBytes(32).toString('hex')) {}

  /** 128 bits of HMAC-SHA256 (32 hex digits): the token stays 64 hex digits with its nonce. */
  private sign(cookie: string, form: string): string {
    return createHmac('sha256', this.secret).update(`${cookie}:${form}`).digest('hex').slice(0, 32);
  }

  /** A new token for one form, setting the cookie when the browser has none yet. */
  issue(req: Request, res: Response): string {
    let nonce = cookieValue(req);
    if (!nonce || !/^[0-9a-f]{32}$/.test(nonce)) {
      nonce = randomBytes(16).toString('hex');
      res.cookie(COOKIE, nonce, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
    }
    const form = randomBytes(16).toString('hex');
    return `${form}${this.sign(nonce, form)}`;
  }

  /**
   * Whether the token belongs to this browser; if so, the identity of the rendered form it came
   * from (its cookie and form nonces), which stays the same however often that form is posted.
   */
  verify(req: Request, token: unknown): string | null {
    const nonce = cookieValue(req);
    if (!nonce || typeof token !== 'string' || !/^[0-9a-f]{64}$/.test(token)) return null;
    const form = token.slice(0, 32);
    const valid = timingSafeEqual(Buffer.from(this.sign(nonce, form), 'hex'), Buffer.from(token.slice(32), 'hex'));
    return valid ? `${nonce}:${form}` : null;
  }
}
