import { createHash, randomBytes } from 'node:crypto';
import { ROLES, isDepartmentRole, type Actor, type Role, type StaffRole } from '../../machines/roles';
import { toObjectId } from '../store/ids';
import type { StaffRecord } from '../store/records';
import type { StaffStore } from '../store/staff';

const TOKEN_PREFIX = 'pd_';
/** A console session id: 32 random bytes, base64url. */
const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits: long enough that hashing without a salt is safe against guessing. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewStaff {
  name: string;
  email: string;
  role: StaffRole;
  department: string | null;
}

export class StaffDirectory {
  constructor(private readonly store: StaffStore) {}

  /** Registers a member of staff and returns their bearer token, shown once and never stored. */
  async register(staff: NewStaff): Promise<{ token: string; record: StaffRecord }> {
    if (!ROLES.includes(staff.role)) throw new Error(`unknown role ${staff.role}`);
    if (isDepartmentRole(staff.role) && !staff.department) throw new Error(`role ${staff.role} needs a department`);
    if (!isDepartmentRole(staff.role) && staff.department) throw new Error(`role ${staff.role} belongs to no department`);
    const token = generateToken();
    const record = await this.store.register({
      ...staff,
      tokenHash: hashToken(token),
      active: true,
      createdAt: new Date(),
    });
    return { token, record };
  }

  /** Active staff of a role, optionally only of some departments: mail recipients (R19). */
  async withRole(role: Role, departments: readonly string[] | null): Promise<StaffRecord[]> {
    return this.store.withRole(role, departments);
  }

  /** Opens a console session for the holder of a valid token; returns the session token. */
  async openSession(token: string, now: Date, hours = 12): Promise<{ session: string; actor: Actor } | null> {
    const actor = await this.authenticate(token);
    if (!actor) return null;
    const session = randomBytes(32).toString('base64url');
    await this.store.openSession({
      _id: hashToken(session),
      staffId: toObjectId(actor.id),
      createdAt: now,
      expiresAt: new Date(now.getTime() + hours * 3_600_000),
    });
    return { session, actor };
  }

  async sessionActor(session: string, now: Date): Promise<Actor | null> {
    if (!SESSION_SHAPE.test(session)) return null;
    const record = await this.store.session(hashToken(session));
    if (!record || record.expiresAt <= now) return null;
    const staff = await this.store.activeById(record.staffId);
    return staff ? actorOf(staff) : null;
  }

  /**
   * Removes a session found expired and returns whose it was, once: of several requests that find
   * it so, only the one that removed it learns the owner (the audit trail records it once).
   */
  async endExpiredSession(session: string, now: Date): Promise<{ actor: Actor; createdAt: Date } | null> {
    if (!SESSION_SHAPE.test(session)) return null;
    const record = await this.store.takeExpiredSession(hashToken(session), now);
    if (!record) return null;
    const staff = await this.store.byId(String(record.staffId));
    return staff ? { actor: actorOf(staff), createdAt: record.createdAt } : null;
  }

  async closeSession(session: string): Promise<void> {
    await this.store.closeSession(hashToken(session));
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const staff = await this.store.activeByTokenHash(hashToken(token));
    return staff ? actorOf(staff) : null;
  }
}

/** Who a member of staff acts as: what every event and history entry is stamped with. */
function actorOf(staff: StaffRecord): Actor {
  return { id: String(staff._id), name: staff.name, role: staff.role, department: staff.department };
}
