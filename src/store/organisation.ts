import type { ObjectId } from './ids';
import type { Models } from './models';
import type { DepartmentKind, DepartmentRecord, JurisdictionRecord } from './records';
import { escapeRegex, isDuplicateKey } from './driver-errors';

/** What a list of departments is narrowed to; every field optional. */
export interface DepartmentFilter {
  /** Part of the name, short name or code, as typed. */
  text?: string;
  jurisdictionId?: ObjectId;
  kind?: DepartmentKind;
  active?: boolean;
}

/** The outcome of a write that a unique index may refuse: which field clashed. */
export type UniqueClash = { clash: 'name' | 'code' | 'divisionCode' };

/** Which unique field a duplicate-key error is about, read from the index it names. */
function clashOf(error: unknown, fields: ReadonlyArray<UniqueClash['clash']>): UniqueClash {
  const text = `${(error as { message?: string }).message ?? ''} ${JSON.stringify((error as { keyPattern?: unknown }).keyPattern ?? {})}`;
  // Longest first: `divisionCode` contains `code`.
  const sorted = [...fields].sort((a, b) => b.length - a.length);
  return { clash: sorted.find((f) => text.includes(f)) ?? fields[0] };
}

/** Jurisdictions and their departments (the organisation directory). */
export class OrganisationStore {
  constructor(private readonly models: Models) {}

  async jurisdictions(): Promise<JurisdictionRecord[]> {
    return this.models.Jurisdiction.find({}).sort({ name: 1 }).lean<JurisdictionRecord[]>().exec();
  }

  async jurisdiction(id: ObjectId): Promise<JurisdictionRecord | null> {
    return this.models.Jurisdiction.findById(id).lean<JurisdictionRecord>().exec();
  }

  async insertJurisdiction(record: JurisdictionRecord): Promise<JurisdictionRecord | UniqueClash> {
    try {
      return (await this.models.Jurisdiction.create(record)).toObject() as JurisdictionRecord;
    } catch (error) {
      if (isDuplicateKey(error)) return clashOf(error, ['name', 'divisionCode']);
      throw error;
    }
  }

  /** Sets the fields given; returns the record as it now is, null if there is none. */
  async updateJurisdiction(id: ObjectId, changes: Partial<Omit<JurisdictionRecord, '_id' | 'createdAt'>>): Promise<JurisdictionRecord | UniqueClash | null> {
    try {
      return await this.models.Jurisdiction.findOneAndUpdate({ _id: id }, { $set: changes }, { returnDocument: 'after' }).lean<JurisdictionRecord>().exec();
    } catch (error) {
      if (isDuplicateKey(error)) return clashOf(error, ['name', 'divisionCode']);
      throw error;
    }
  }

  async departments(filter: DepartmentFilter, page: number, pageSize: number): Promise<{ items: DepartmentRecord[]; total: number }> {
    const query: Record<string, unknown> = {};
    if (filter.jurisdictionId) query.jurisdictionId = filter.jurisdictionId;
    if (filter.kind) query.kind = filter.kind;
    if (filter.active !== undefined) query.active = filter.active;
    if (filter.text) {
      const pattern = new RegExp(escapeRegex(filter.text), 'i');
      query.$or = [{ name: pattern }, { shortName: pattern }, { code: pattern }];
    }
    const [items, total] = await Promise.all([
      this.models.Department.find(query).sort({ name: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<DepartmentRecord[]>().exec(),
      this.models.Department.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  async department(id: ObjectId): Promise<DepartmentRecord | null> {
    return this.models.Department.findById(id).lean<DepartmentRecord>().exec();
  }

  async departmentsById(ids: readonly ObjectId[]): Promise<DepartmentRecord[]> {
    if (ids.length === 0) return [];
    return this.models.Department.find({ _id: { $in: ids } }).lean<DepartmentRecord[]>().exec();
  }

  async insertDepartment(record: DepartmentRecord): Promise<DepartmentRecord | UniqueClash> {
    try {
      return (await this.models.Department.create(record)).toObject() as DepartmentRecord;
    } catch (error) {
      if (isDuplicateKey(error)) return clashOf(error, ['name', 'code']);
      throw error;
    }
  }

  async updateDepartment(id: ObjectId, changes: Partial<Omit<DepartmentRecord, '_id' | 'createdAt'>>): Promise<DepartmentRecord | UniqueClash | null> {
    try {
      return await this.models.Department.findOneAndUpdate({ _id: id }, { $set: changes }, { returnDocument: 'after' }).lean<DepartmentRecord>().exec();
    } catch (error) {
      if (isDuplicateKey(error)) return clashOf(error, ['name', 'code']);
      throw error;
    }
  }
}
