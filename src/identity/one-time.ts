/**
 * One-time links: the first administrator's setup link, password resets. The token is 32
 * random bytes; only its SHA-256 is stored, so a database dump opens no account, and the
 * link works once, before it expires.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../ledger/chain';
import { AppError } from '../errors';
import type { LinkPurpose, OneTimeLinkRecord, OneTimeLinkStore } from '../store/credentials';

export const LINK_LIFETIME_MS: Record<LinkPurpose, number> = {
  // The first administrator sets up from the console right after the command printed the link.
  setup: 24 * 3600_000,
  passwordReset: 3600_000,
};

function hashToken(token: string): string {
  return sha256Hex(token);
}

export interface IssuedLink {
  /** For the URL, shown or sent once. */
  token: string;
  expiresAt: Date;
}

export class OneTimeLinks {
  constructor(
    private readonly store: OneTimeLinkStore,
    private readonly lifetimeMs: Record<LinkPurpose, number> = LINK_LIFETIME_MS,
  ) {}

  /** A new link for the person; their earlier unused links of that purpose stop working. */
  async issue(personId: string, purpose: LinkPurpose, now: Date = new Date()): Promise<IssuedLink> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.lifetimeMs[purpose]);
    await this.store.issue({ _id: hashToken(token), purpose, personId, createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  /** Uses the link up and returns whose it was; a used, expired or unknown link is refused. */
  async consume(token: string, purpose: LinkPurpose, now: Date = new Date()): Promise<OneTimeLinkRecord> {
    return this.answer(await this.store.consume(hashToken(token), purpose, now));
  }

  /** Checks the link without using it, to show the page it opens. */
  async check(token: string, purpose: LinkPurpose, now: Date = new Date()): Promise<OneTimeLinkRecord> {
    return this.answer(await this.store.peek(hashToken(token), purpose, now));
  }

  private answer(result: Awaited<ReturnType<OneTimeLinkStore['consume']>>): OneTimeLinkRecord {
    if (result.ok) return result.link;
    throw new AppError(result.reason === 'used' ? 'LINK_USED' : result.reason === 'expired' ? 'LINK_EXPIRED' : 'LINK_INVALID');
  }
}
