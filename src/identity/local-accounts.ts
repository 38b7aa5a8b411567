import type { StaffRole } from '../../machines/roles';
/**
 * Local accounts, for offices without a unified identity platform: a password checked against
 * its hash, a second factor, and the lock after repeated failures. What a person is (name, roles)
 * is the staff directory's business; this knows people only by id.
 */
import { AppError } from '../errors';
import type { CredentialStore, LockPolicy } from '../store/credentials';
import { assertPasswordPolicy, hashPassword, needsRehash, verifyAgainstNothing, verifyPassword, type PasswordOwner } from './passwords';
import { open, seal } from './secret-box';
import type { IdentitySettings } from './settings';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret, normalizeTotpCode, systemClock, totpQrSvg, totpUri, type Clock } from './totp';

/** The roles for which a second factor is not optional (等保三级: those who administer and audit). */
const SECOND_FACTOR_ROLES: readonly StaffRole[] = ['administrator', 'securityAuditor'];

export function secondFactorRequired(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => SECOND_FACTOR_ROLES.includes(role));
}

/**
 * The answer to one attempt. `locked` is given whether or not the password (or code) was right,
 * and no check is made while the lock holds: the answer says nothing about the secret.
 */
export type AttemptResult =
  | { outcome: 'ok' }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; lockedUntil: Date };

export interface PasswordResult {
  outcome: 'ok' | 'invalid' | 'locked';
  lockedUntil?: Date;
  /** On `ok`: whether a TOTP code is still to be asked for. */
  secondFactor?: boolean;
}

/** Turns a refused attempt into the error a page or the API shows. */
export function attemptError(result: { outcome: string; lockedUntil?: Date }, invalid: 'SIGN_IN_FAILED' | 'TOTP_CODE_INVALID' | 'RECOVERY_CODE_INVALID'): AppError {
  if (result.outcome === 'locked') return new AppError('ACCOUNT_LOCKED', { lockedUntil: result.lockedUntil?.toISOString() });
  return new AppError(invalid);
}

export interface TotpEnrollment {
  /** base32, for typing into an app that cannot scan. */
  secret: string;
  uri: string;
  /** The QR code of `uri`, to inline in the page. */
  qrSvg: string;
}

export class LocalAccounts {
  private readonly lock: LockPolicy;

  constructor(
    private readonly store: CredentialStore,
    private readonly settings: Pick<IdentitySettings, 'passwordMinLength' | 'lockoutThreshold' | 'lockoutMs' | 'secretKey'>,
    private readonly clock: Clock = systemClock,
  ) {
    this.lock = { threshold: settings.lockoutThreshold, durationMs: settings.lockoutMs };
  }

  /** Sets a password that passes the policy (refused with the rule it breaks otherwise). */
  async setPassword(personId: string, password: string, owner: PasswordOwner): Promise<void> {
    assertPasswordPolicy(password, owner, this.settings.passwordMinLength);
    await this.store.setPassword(personId, await hashPassword(password), this.clock());
  }

  async checkPassword(personId: string, password: string): Promise<PasswordResult> {
    const now = this.clock();
    const record = await this.store.get(personId);
    if (!record?.passwordHash) {
      await verifyAgainstNothing(password);
      return { outcome: 'invalid' };
    }
    if (record.lockedUntil && record.lockedUntil > now) return { outcome: 'locked', lockedUntil: record.lockedUntil };
    if (!(await verifyPassword(password, record.passwordHash))) return this.failed(personId, now);
    // A password alone does not reset the count when a code is still to come: otherwise
    // someone who knows it could try codes without end, five at a time.
    const secondFactor = record.totpSecret !== null;
    if (!secondFactor && !(await this.store.recordSuccess(personId, now))) return this.stillLocked(personId, now);
    if (needsRehash(record.passwordHash)) {
      await this.store.upgradePasswordHash(personId, record.passwordHash, await hashPassword(password));
    }
    return { outcome: 'ok', secondFactor };
  }

  /** Starts enrolment: a new secret kept pending until `confirmTotp`, and its QR code. */
  async beginTotp(personId: string, account: string): Promise<TotpEnrollment> {
    const secret = newTotpSecret();
    await this.store.setPendingTotp(personId, seal(this.settings.secretKey, secret, personId), this.clock());
    const uri = totpUri(secret, account);
    return { secret, uri, qrSvg: await totpQrSvg(uri) };
  }

  /**
   * Confirms enrolment with a code from the app, and returns the ten recovery codes to show
   * once. A wrong code leaves the pending secret in place for another try.
   */
  async confirmTotp(personId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const now = this.clock();
    const record = await this.store.get(personId);
    if (!record?.totpPendingSecret) throw new AppError('TOTP_ENROLLMENT_NOT_STARTED');
    const step = matchTotp(open(this.settings.secretKey, record.totpPendingSecret, personId), code, now);
    if (step === null) throw new AppError('TOTP_CODE_INVALID');
    const recoveryCodes = newRecoveryCodes();
    const confirmed = await this.store.confirmTotp(personId, record.totpPendingSecret, step, recoveryCodes.map(hashRecoveryCode), now);
    if (!confirmed) throw new AppError('TOTP_ENROLLMENT_NOT_STARTED');
    return { recoveryCodes };
  }

  /**
   * The second step of a sign-in. A wrong code counts towards the lock like a wrong password;
   * a right code of a step already accepted (a replay) is a wrong code.
   */
  async checkTotp(personId: string, code: string): Promise<AttemptResult> {
    const digits = normalizeTotpCode(code);
    const now = this.clock();
    const record = await this.store.get(personId);
    if (!record?.totpSecret) throw new AppError('TOTP_NOT_ENROLLED');
    if (record.lockedUntil && record.lockedUntil > now) return { outcome: 'locked', lockedUntil: record.lockedUntil };
    const step = matchTotp(open(this.settings.secretKey, record.totpSecret, personId), digits, now);
    if (step === null || !(await this.store.acceptTotpStep(personId, step))) return this.failed(personId, now);
    return this.succeeded(personId, now);
  }

  /** Instead of a TOTP code, when the phone is lost: each code works once. */
  async useRecoveryCode(personId: string, code: string): Promise<AttemptResult> {
    const now = this.clock();
    const record = await this.store.get(personId);
    if (!record?.totpSecret) throw new AppError('TOTP_NOT_ENROLLED');
    if (record.lockedUntil && record.lockedUntil > now) return { outcome: 'locked', lockedUntil: record.lockedUntil };
    if (!(await this.store.consumeRecoveryCode(personId, hashRecoveryCode(code)))) return this.failed(personId, now);
    return this.succeeded(personId, now);
  }

  /** New recovery codes replace all the old ones; shown once. */
  async regenerateRecoveryCodes(personId: string): Promise<string[]> {
    const record = await this.store.get(personId);
    if (!record?.totpSecret) throw new AppError('TOTP_NOT_ENROLLED');
    const codes = newRecoveryCodes();
    await this.store.replaceRecoveryCodes(personId, codes.map(hashRecoveryCode));
    return codes;
  }

  private async failed(personId: string, now: Date): Promise<AttemptResult> {
    const counted = await this.store.recordFailure(personId, now, this.lock);
    return counted.locked ? { outcome: 'locked', lockedUntil: counted.lockedUntil } : { outcome: 'invalid' };
  }

  private async succeeded(personId: string, now: Date): Promise<AttemptResult> {
    return (await this.store.recordSuccess(personId, now)) ? { outcome: 'ok' } : this.stillLocked(personId, now);
  }

  /** A lock set by a concurrent attempt while this one was being checked. */
  private async stillLocked(personId: string, now: Date): Promise<AttemptResult> {
    const lockedUntil = (await this.store.lockedUntil(personId, now)) ?? new Date(now.getTime() + this.lock.durationMs);
    return { outcome: 'locked', lockedUntil };
  }
}
