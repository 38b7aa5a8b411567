import type { Role } from '../../machines/roles';
import type { ObjectId } from './ids';
import type { Models } from './models';
import type { SessionRecord, StaffRecord } from './records';

/** Staff and their console sessions. Tokens are known here by their hashes only. */
export class StaffStore {
  constructor(private readonly models: Models) {}

  async register(staff: Omit<StaffRecord, '_id'>): Promise<StaffRecord> {
    const created = await this.models.Staff.create(staff);
    return created.toObject() as StaffRecord;
  }

  /** Active staff of a role, optionally only of some departments, in the order they were added. */
  async withRole(role: Role, departments: readonly string[] | null): Promise<StaffRecord[]> {
    const filter: Record<string, unknown> = { role, active: true };
    if (departments !== null) filter.department = { $in: departments };
    return this.models.Staff.find(filter).sort({ _id: 1 }).lean<StaffRecord[]>().exec();
  }

  /** The active member of staff holding the token of this hash. */
  async activeByTokenHash(tokenHash: string): Promise<StaffRecord | null> {
    return this.models.Staff.findOne({ tokenHash, active: true }).lean<StaffRecord>().exec();
  }

  async activeById(id: ObjectId): Promise<StaffRecord | null> {
    return this.models.Staff.findOne({ _id: id, active: true }).lean<StaffRecord>().exec();
  }

  /** A member of staff, active or not (a message addressed to them before they left). */
  async byId(id: string): Promise<StaffRecord | null> {
    return this.models.Staff.findById(id).lean<StaffRecord>().exec();
  }

  async openSession(session: SessionRecord): Promise<void> {
    await this.models.Session.create(session);
  }

  async session(sessionHash: string): Promise<SessionRecord | null> {
    return this.models.Session.findById(sessionHash).lean<SessionRecord>().exec();
  }

  /** Removes the session of this hash if it has expired by `now`, and returns it; null to every other caller. */
  async takeExpiredSession(sessionHash: string, now: Date): Promise<SessionRecord | null> {
    return this.models.Session.findOneAndDelete({ _id: sessionHash, expiresAt: { $lte: now } }).lean<SessionRecord>().exec();
  }

  async closeSession(sessionHash: string): Promise<void> {
    await this.models.Session.deleteOne({ _id: sessionHash }).exec();
  }
}
