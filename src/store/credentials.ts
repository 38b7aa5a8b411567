/**
 * What a person signs in with: password hash, second factor, recovery codes, failed attempts —
 * and the one-time links (first setup, password reset). Each in a collection of its own, keyed
 * by the person's id, so it does not depend on the shape of the staff records.
 *
 * Every change that races (failed attempts, the last accepted TOTP step, a recovery code, a
 * link) is one conditional `findOneAndUpdate`: several service instances counting at once
 * count exactly, with nothing but single-document atomicity.
 */
import { Schema } from 'mongoose';
import type { Models } from './models';

export interface CredentialRecord {
  /** The person's id. */
  _id: string;
  passwordHash: string | null;
  passwordChangedAt: Date | null;
  /** The TOTP secret, sealed (AES-256-GCM, src/identity/secret-box.ts). */
  totpSecret: string | null;
  totpEnrolledAt: Date | null;
  /** The last 30-second step accepted: a code of this step or an earlier one is refused. */
  totpLastStep: number | null;
  /** A secret shown as a QR code and not yet confirmed with a code from the app. */
  totpPendingSecret: string | null;
  recoveryCodeHashes: string[];
  /** Consecutive failed attempts since the last success or lock. */
  failures: number;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
}

export type LinkPurpose = 'setup' | 'passwordReset';

export interface OneTimeLinkRecord {
  /** sha256 of the token: the link in the e-mail or on the console is the only copy. */
  _id: string;
  purpose: LinkPurpose;
  personId: string;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

export const credentialSchema = new Schema<CredentialRecord>(
  {
    _id: { type: String, required: true },
    passwordHash: { type: String, default: null },
    passwordChangedAt: { type: Date, default: null },
    totpSecret: { type: String, default: null },
    totpEnrolledAt: { type: Date, default: null },
    totpLastStep: { type: Number, default: null },
    totpPendingSecret: { type: String, default: null },
    recoveryCodeHashes: { type: [String], default: [] },
    failures: { type: Number, default: 0 },
    lockedUntil: { type: Date, default: null },
    lastSignInAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  // Every query is by _id, the person: no other index is needed.
  { versionKey: false, collection: 'credentials', minimize: false },
);

export const linkSchema = new Schema<OneTimeLinkRecord>(
  {
    _id: { type: String, required: true },
    purpose: { type: String, required: true, enum: ['setup', 'passwordReset'] },
    personId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    // Kept a week past expiry, so a late click is told "expired" rather than "invalid";
    // then MongoDB's TTL monitor removes it.
    expiresAt: { type: Date, required: true, expires: 7 * 24 * 3600 },
    consumedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'one_time_links' },
);
// Issuing a new link withdraws the person's earlier ones of the same purpose.
linkSchema.index({ personId: 1, purpose: 1 });

export interface LockPolicy {
  threshold: number;
  durationMs: number;
}

/** How a failed attempt was counted. */
export type FailureOutcome =
  | { locked: false; failures: number }
  /** This attempt reached the threshold, or the account was already locked. */
  | { locked: true; lockedUntil: Date };

/** Not locked at `now`: never locked, or the lock has run out. */
function unlockedAt(now: Date) {
  return { $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] };
}

export class CredentialStore {
  constructor(private readonly models: Pick<Models, 'Credential'>) {}

  async get(personId: string): Promise<CredentialRecord | null> {
    return this.models.Credential.findById(personId).lean<CredentialRecord>().exec();
  }

  /**
   * A new password, from a setup or reset link or the person's own change: it also ends a lock
   * and the count of failures, since whoever set it has just proved who they are another way.
   */
  async setPassword(personId: string, passwordHash: string, at: Date): Promise<void> {
    await this.models.Credential.updateOne(
      { _id: personId },
      {
        $set: { passwordHash, passwordChangedAt: at, failures: 0, lockedUntil: null },
        $setOnInsert: { createdAt: at },
      },
      { upsert: true },
    ).exec();
  }

  /** Swaps in a stronger hash of the same password, unless the password changed meanwhile. */
  async upgradePasswordHash(personId: string, oldHash: string, newHash: string): Promise<boolean> {
    const result = await this.models.Credential.updateOne({ _id: personId, passwordHash: oldHash }, { $set: { passwordHash: newHash } }).exec();
    return result.modifiedCount === 1;
  }

  /** The end of the current lock, or null when the account is not locked at `now`. */
  async lockedUntil(personId: string, now: Date): Promise<Date | null> {
    const doc = await this.models.Credential.findById(personId, { lockedUntil: 1 }).lean<Pick<CredentialRecord, 'lockedUntil'>>().exec();
    return doc?.lockedUntil && doc.lockedUntil > now ? doc.lockedUntil : null;
  }

  /**
   * Counts a failed attempt. Two conditional updates, each atomic on its own: below the
   * threshold the count goes up by one; at the last failure before it, the same kind of
   * update sets the lock (and restarts the count for after it). An attempt that finds the
   * account locked counts nothing. However many instances fail at once, exactly the
   * threshold-th counted failure locks.
   */
  async recordFailure(personId: string, now: Date, policy: LockPolicy, retries = 3): Promise<FailureOutcome> {
    const counted = await this.models.Credential.findOneAndUpdate(
      { _id: personId, failures: { $lt: policy.threshold - 1 }, ...unlockedAt(now) },
      { $inc: { failures: 1 } },
      { returnDocument: 'after', projection: { failures: 1 } },
    )
      .lean<Pick<CredentialRecord, 'failures'>>()
      .exec();
    if (counted) return { locked: false, failures: counted.failures };
    const lockedUntil = new Date(now.getTime() + policy.durationMs);
    const locking = await this.models.Credential.findOneAndUpdate(
      { _id: personId, failures: { $gte: policy.threshold - 1 }, ...unlockedAt(now) },
      { $set: { failures: 0, lockedUntil } },
      { returnDocument: 'after', projection: { lockedUntil: 1 } },
    )
      .lean<Pick<CredentialRecord, 'lockedUntil'>>()
      .exec();
    if (locking) return { locked: true, lockedUntil };
    const current = await this.lockedUntil(personId, now);
    if (current) return { locked: true, lockedUntil: current };
    // Neither update matched and no lock holds: no such account, or a success reset the count
    // between the two updates. Either way this attempt is counted from where things are now.
    const exists = await this.models.Credential.exists({ _id: personId }).exec();
    return exists && retries > 0 ? this.recordFailure(personId, now, policy, retries - 1) : { locked: false, failures: 0 };
  }

  /**
   * A successful sign-in resets the count — only if the account is not locked, so that even
   * the right password does not get through a lock. False: it was locked.
   */
  async recordSuccess(personId: string, now: Date): Promise<boolean> {
    const result = await this.models.Credential.updateOne(
      { _id: personId, ...unlockedAt(now) },
      { $set: { failures: 0, lockedUntil: null, lastSignInAt: now } },
    ).exec();
    return result.matchedCount === 1;
  }

  /** Keeps a secret shown as a QR code until its owner confirms it with a code. */
  async setPendingTotp(personId: string, sealedSecret: string, at: Date): Promise<void> {
    await this.models.Credential.updateOne(
      { _id: personId },
      { $set: { totpPendingSecret: sealedSecret }, $setOnInsert: { createdAt: at } },
      { upsert: true },
    ).exec();
  }

  /**
   * The pending secret becomes the second factor, with the step of the confirming code as the
   * last accepted one, and new recovery codes replace any old ones. Conditional on the pending
   * secret still being the one confirmed, so two confirmations cannot cross.
   */
  async confirmTotp(personId: string, sealedSecret: string, step: number, recoveryCodeHashes: string[], at: Date): Promise<boolean> {
    const result = await this.models.Credential.updateOne(
      { _id: personId, totpPendingSecret: sealedSecret },
      { $set: { totpSecret: sealedSecret, totpEnrolledAt: at, totpLastStep: step, totpPendingSecret: null, recoveryCodeHashes } },
    ).exec();
    return result.modifiedCount === 1;
  }

  async removeTotp(personId: string): Promise<void> {
    await this.models.Credential.updateOne(
      { _id: personId },
      { $set: { totpSecret: null, totpEnrolledAt: null, totpLastStep: null, totpPendingSecret: null, recoveryCodeHashes: [] } },
    ).exec();
  }

  /** Accepts a TOTP step once: false when this step or a later one was already accepted. */
  async acceptTotpStep(personId: string, step: number): Promise<boolean> {
    const result = await this.models.Credential.updateOne(
      { _id: personId, totpSecret: { $ne: null }, $or: [{ totpLastStep: null }, { totpLastStep: { $lt: step } }] },
      { $set: { totpLastStep: step } },
    ).exec();
    // The filter alone decides: a same-step replay must fail because it does not match, not
    // because setting the same value changes nothing.
    return result.matchedCount === 1;
  }

  async replaceRecoveryCodes(personId: string, hashes: string[]): Promise<void> {
    await this.models.Credential.updateOne({ _id: personId }, { $set: { recoveryCodeHashes: hashes } }).exec();
  }

  /** Uses up a recovery code: of two racing uses of one code, one succeeds. */
  async consumeRecoveryCode(personId: string, hash: string): Promise<boolean> {
    const result = await this.models.Credential.updateOne({ _id: personId, recoveryCodeHashes: hash }, { $pull: { recoveryCodeHashes: hash } }).exec();
    return result.modifiedCount === 1;
  }
}

export type ConsumeResult = { ok: true; link: OneTimeLinkRecord } | { ok: false; reason: 'invalid' | 'used' | 'expired' };

export class OneTimeLinkStore {
  constructor(private readonly models: Pick<Models, 'OneTimeLink'>) {}

  /** Stores a new link and withdraws the person's earlier unused ones of the same purpose. */
  async issue(record: Omit<OneTimeLinkRecord, 'consumedAt'>): Promise<void> {
    await this.models.OneTimeLink.updateMany(
      { personId: record.personId, purpose: record.purpose, consumedAt: null },
      { $set: { consumedAt: record.createdAt } },
    ).exec();
    await this.models.OneTimeLink.create({ ...record, consumedAt: null });
  }

  /** Uses the link up, once: of two racing uses, one succeeds. */
  async consume(tokenHash: string, purpose: LinkPurpose, now: Date): Promise<ConsumeResult> {
    const link = await this.models.OneTimeLink.findOneAndUpdate(
      { _id: tokenHash, purpose, consumedAt: null, expiresAt: { $gt: now } },
      { $set: { consumedAt: now } },
      { returnDocument: 'after' },
    )
      .lean<OneTimeLinkRecord>()
      .exec();
    if (link) return { ok: true, link };
    const found = await this.models.OneTimeLink.findOne({ _id: tokenHash, purpose }).lean<OneTimeLinkRecord>().exec();
    if (!found) return { ok: false, reason: 'invalid' };
    return { ok: false, reason: found.consumedAt ? 'used' : 'expired' };
  }

  /** Whether a link would still work, without using it (to show the form it opens). */
  async peek(tokenHash: string, purpose: LinkPurpose, now: Date): Promise<ConsumeResult> {
    const found = await this.models.OneTimeLink.findOne({ _id: tokenHash, purpose }).lean<OneTimeLinkRecord>().exec();
    if (!found) return { ok: false, reason: 'invalid' };
    if (found.consumedAt) return { ok: false, reason: 'used' };
    if (found.expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, link: found };
  }
}
