import type { Actor } from '../../machines/roles';
import { auditActor } from '../audit/access';
import type { AuditKind } from '../audit/kinds';
import type { AuditTrail } from '../audit/trail';
import { AppError, type ErrorCode } from '../errors';
import { newObjectId, parseObjectId, type ObjectId } from '../store/ids';
import type { OrganisationStore, UniqueClash } from '../store/organisation';
import type { DepartmentKind, DepartmentRecord, JurisdictionRecord } from '../store/records';
import { mayAdminister } from './access';
import type { DepartmentBody, DepartmentChange, DepartmentQuery, JurisdictionBody, JurisdictionChange } from './schemas';
import { usccProblem } from './uscc';

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, string> = {
  government: '人民政府',
  generalOffice: '政府办公厅（室）',
  department: '政府工作部门',
  agency: '直属机构及其他单位',
  district: '区县人民政府',
};

/** Who is administering, from where, when: what the security audit trail records with each change. */
export interface AdminContext {
  actor: Actor;
  ip: string | null;
  at: Date;
  /** The route or page the change came through, for the auditor. */
  route: string;
}

export interface JurisdictionView {
  id: string;
  name: string;
  divisionCode: string;
  parent: { id: string; name: string } | null;
  active: boolean;
}

export interface DepartmentView {
  id: string;
  name: string;
  shortName: string;
  code: string;
  /** The code is a placeholder still to be replaced by the real one (待完善). */
  codePending: boolean;
  kind: DepartmentKind;
  kindLabel: string;
  jurisdiction: { id: string; name: string };
  parent: { id: string; name: string } | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

function idOf(text: string, missing: ErrorCode): ObjectId {
  const id = parseObjectId(text);
  if (!id) throw new AppError(missing);
  return id;
}

function isClash<T>(result: T | UniqueClash): result is UniqueClash {
  return typeof result === 'object' && result !== null && 'clash' in result;
}

/** What changed, field by field, for the trail: `{field: {from, to}}`. */
function changesOf(before: object, after: object, fields: readonly string[]): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const field of fields) {
    if (String(b[field] ?? null) !== String(a[field] ?? null)) changes[field] = { from: b[field] ?? null, to: a[field] ?? null };
  }
  return changes;
}

/**
 * The organisation directory: jurisdictions (the city and the districts sharing the installation,
 * 集约化) and their departments. Only the system administrator changes it (三员分立), and every
 * change — and every refused attempt — goes to the security audit trail. Departments are never
 * deleted: filings, staff and the ledger refer to them, so they are deactivated instead.
 */
export class OrganisationDirectory {
  constructor(
    private readonly store: OrganisationStore,
    private readonly audit: AuditTrail,
  ) {}

  /** Refuses anyone but the administrator, recording a refused change as such. */
  private async administratorOnly(by: AdminContext, attempted: AuditKind | null, target: { type: string; id: string; label: string } | null = null): Promise<void> {
    if (mayAdminister(by.actor)) return;
    if (attempted) {
      await this.audit.record({ kind: attempted, actor: auditActor(by.actor), target, detail: { route: by.route, reason: 'notAdministrator' }, at: by.at, ip: by.ip, outcome: 'failure' });
    }
    throw new AppError('FORBIDDEN_ROLE', { reason: 'administratorOnly' });
  }

  private async record(by: AdminContext, kind: AuditKind, target: { type: string; id: string; label: string }, detail: Record<string, unknown>): Promise<void> {
    await this.audit.record({ kind, actor: auditActor(by.actor), target, detail: { route: by.route, ...detail }, at: by.at, ip: by.ip, outcome: 'success' });
  }

  // Jurisdictions.

  async jurisdictions(by: AdminContext): Promise<JurisdictionView[]> {
    await this.administratorOnly(by, null);
    const all = await this.store.jurisdictions();
    const names = new Map(all.map((j) => [String(j._id), j.name]));
    return all.map((j) => this.jurisdictionView(j, names));
  }

  private jurisdictionView(j: JurisdictionRecord, names: Map<string, string>): JurisdictionView {
    const parent = j.parentId ? { id: String(j.parentId), name: names.get(String(j.parentId)) ?? '' } : null;
    return { id: String(j._id), name: j.name, divisionCode: j.divisionCode, parent, active: j.active };
  }

  private async viewOfJurisdiction(j: JurisdictionRecord): Promise<JurisdictionView> {
    const parent = j.parentId ? await this.store.jurisdiction(j.parentId) : null;
    return this.jurisdictionView(j, new Map(parent ? [[String(parent._id), parent.name]] : []));
  }

  private async jurisdictionRecord(text: string): Promise<JurisdictionRecord> {
    const found = await this.store.jurisdiction(idOf(text, 'JURISDICTION_NOT_FOUND'));
    if (!found) throw new AppError('JURISDICTION_NOT_FOUND');
    return found;
  }

  async createJurisdiction(by: AdminContext, body: JurisdictionBody): Promise<JurisdictionView> {
    await this.administratorOnly(by, 'jurisdictionCreated', { type: 'jurisdiction', id: '', label: body.name });
    let parentId: ObjectId | null = null;
    if (body.parent) {
      const parent = await this.jurisdictionRecord(body.parent);
      // Districts belong to a city; a district of a district is none this installation knows.
      if (parent.parentId) throw new AppError('VALIDATION_FAILED', { field: 'parent', issues: [{ field: 'parent', code: 'custom', message: '上级行政区域须为市级行政区域' }] });
      parentId = parent._id;
    }
    const inserted = await this.store.insertJurisdiction({ _id: newObjectId(), name: body.name, divisionCode: body.divisionCode, parentId, active: true, createdAt: by.at, updatedAt: by.at });
    if (isClash(inserted)) throw new AppError(inserted.clash === 'name' ? 'JURISDICTION_NAME_TAKEN' : 'JURISDICTION_CODE_TAKEN');
    await this.record(by, 'jurisdictionCreated', { type: 'jurisdiction', id: String(inserted._id), label: inserted.name }, { name: inserted.name, divisionCode: inserted.divisionCode, parent: body.parent });
    return this.viewOfJurisdiction(inserted);
  }

  async changeJurisdiction(by: AdminContext, id: string, change: JurisdictionChange): Promise<JurisdictionView> {
    await this.administratorOnly(by, 'jurisdictionChanged', { type: 'jurisdiction', id, label: id });
    const before = await this.jurisdictionRecord(id);
    const updated = await this.store.updateJurisdiction(before._id, { ...change, updatedAt: by.at });
    if (updated === null) throw new AppError('JURISDICTION_NOT_FOUND');
    if (isClash(updated)) throw new AppError(updated.clash === 'name' ? 'JURISDICTION_NAME_TAKEN' : 'JURISDICTION_CODE_TAKEN');
    await this.record(by, 'jurisdictionChanged', { type: 'jurisdiction', id, label: updated.name }, { changes: changesOf(before, updated, ['name', 'divisionCode']) });
    return this.viewOfJurisdiction(updated);
  }

  // Departments.

  async departments(by: AdminContext, query: DepartmentQuery): Promise<{ items: DepartmentView[]; total: number; page: number; pageSize: number }> {
    await this.administratorOnly(by, null);
    const jurisdictionId = query.jurisdiction ? parseObjectId(query.jurisdiction) ?? undefined : undefined;
    const { items, total } = await this.store.departments({ text: query.q, jurisdictionId, kind: query.kind, active: query.active }, query.page, query.pageSize);
    return { items: await this.views(items), total, page: query.page, pageSize: query.pageSize };
  }

  async department(by: AdminContext, id: string): Promise<DepartmentView> {
    await this.administratorOnly(by, null);
    return (await this.views([await this.departmentRecord(id)]))[0];
  }

  private async departmentRecord(text: string): Promise<DepartmentRecord> {
    const found = await this.store.department(idOf(text, 'DEPARTMENT_NOT_FOUND'));
    if (!found) throw new AppError('DEPARTMENT_NOT_FOUND');
    return found;
  }

  /** Names resolved when shown: a renamed parent or jurisdiction reads as it is called now. */
  private async views(records: DepartmentRecord[]): Promise<DepartmentView[]> {
    const parentIds = [...new Set(records.flatMap((d) => (d.parentId ? [String(d.parentId)] : [])))];
    const [parents, jurisdictions] = await Promise.all([this.store.departmentsById(parentIds.map((p) => parseObjectId(p)!)), this.store.jurisdictions()]);
    const parentNames = new Map(parents.map((p) => [String(p._id), p.name]));
    const jurisdictionNames = new Map(jurisdictions.map((j) => [String(j._id), j.name]));
    return records.map((d) => ({
      id: String(d._id),
      name: d.name,
      shortName: d.shortName,
      code: d.code,
      codePending: d.codePending,
      kind: d.kind,
      kindLabel: DEPARTMENT_KIND_LABELS[d.kind] ?? d.kind,
      jurisdiction: { id: String(d.jurisdictionId), name: jurisdictionNames.get(String(d.jurisdictionId)) ?? '' },
      parent: d.parentId ? { id: String(d.parentId), name: parentNames.get(String(d.parentId)) ?? '' } : null,
      active: d.active,
      createdAt: d.createdAt.toISOString(),
      updatedAt: d.updatedAt.toISOString(),
    }));
  }

  private checkCode(code: string): void {
    const problem = usccProblem(code);
    if (problem) throw new AppError('DEPARTMENT_CODE_INVALID', { field: 'code', problem });
  }

  /**
   * The parent must be another department of the same jurisdiction, and not one below this one:
   * walking up from the parent must never reach the department itself.
   */
  private async checkParent(parentText: string, jurisdictionId: ObjectId, self: ObjectId | null): Promise<ObjectId> {
    const parentId = parseObjectId(parentText);
    let current = parentId ? await this.store.department(parentId) : null;
    if (!current || String(current.jurisdictionId) !== String(jurisdictionId)) throw new AppError('DEPARTMENT_PARENT_INVALID', { field: 'parent' });
    const seen = new Set<string>();
    while (current) {
      const key = String(current._id);
      if ((self && key === String(self)) || seen.has(key)) throw new AppError('DEPARTMENT_PARENT_INVALID', { field: 'parent' });
      seen.add(key);
      current = current.parentId ? await this.store.department(current.parentId) : null;
    }
    return parentId!;
  }

  async createDepartment(by: AdminContext, body: DepartmentBody): Promise<DepartmentView> {
    await this.administratorOnly(by, 'departmentCreated', { type: 'department', id: '', label: body.name });
    this.checkCode(body.code);
    const jurisdiction = await this.jurisdictionRecord(body.jurisdiction);
    if (!jurisdiction.active) throw new AppError('JURISDICTION_INACTIVE');
    const parentId = body.parent ? await this.checkParent(body.parent, jurisdiction._id, null) : null;
    const inserted = await this.store.insertDepartment({
      _id: newObjectId(),
      name: body.name,
      shortName: body.shortName ?? body.name,
      code: body.code,
      codePending: false,
      kind: body.kind,
      parentId,
      jurisdictionId: jurisdiction._id,
      active: true,
      createdAt: by.at,
      updatedAt: by.at,
    });
    if (isClash(inserted)) throw new AppError(inserted.clash === 'code' ? 'DEPARTMENT_CODE_TAKEN' : 'DEPARTMENT_NAME_TAKEN');
    await this.record(by, 'departmentCreated', { type: 'department', id: String(inserted._id), label: inserted.name }, {
      name: inserted.name,
      shortName: inserted.shortName,
      code: inserted.code,
      kind: inserted.kind,
      jurisdiction: String(inserted.jurisdictionId),
      parent: inserted.parentId ? String(inserted.parentId) : null,
    });
    return (await this.views([inserted]))[0];
  }

  async changeDepartment(by: AdminContext, id: string, change: DepartmentChange): Promise<DepartmentView> {
    await this.administratorOnly(by, 'departmentChanged', { type: 'department', id, label: id });
    const before = await this.departmentRecord(id);
    const set: Partial<DepartmentRecord> = { updatedAt: by.at };
    if (change.name !== undefined) set.name = change.name;
    if (change.shortName !== undefined) set.shortName = change.shortName;
    if (change.kind !== undefined) set.kind = change.kind;
    if (change.code !== undefined) {
      this.checkCode(change.code);
      set.code = change.code;
      // A real code entered replaces the placeholder the migration gave.
      set.codePending = false;
    }
    if (change.parent !== undefined) set.parentId = change.parent === null ? null : await this.checkParent(change.parent, before.jurisdictionId, before._id);
    const updated = await this.store.updateDepartment(before._id, set);
    if (updated === null) throw new AppError('DEPARTMENT_NOT_FOUND');
    if (isClash(updated)) throw new AppError(updated.clash === 'code' ? 'DEPARTMENT_CODE_TAKEN' : 'DEPARTMENT_NAME_TAKEN');
    await this.record(by, 'departmentChanged', { type: 'department', id, label: updated.name }, {
      changes: changesOf(before, updated, ['name', 'shortName', 'code', 'codePending', 'kind', 'parentId']),
    });
    return (await this.views([updated]))[0];
  }

  /** Deactivated, never deleted: what refers to it keeps its meaning; nothing new refers to it. */
  async setDepartmentActive(by: AdminContext, id: string, active: boolean): Promise<DepartmentView> {
    const kind: AuditKind = active ? 'departmentReactivated' : 'departmentDeactivated';
    await this.administratorOnly(by, kind, { type: 'department', id, label: id });
    const before = await this.departmentRecord(id);
    const updated = before.active === active ? before : await this.store.updateDepartment(before._id, { active, updatedAt: by.at });
    if (updated === null) throw new AppError('DEPARTMENT_NOT_FOUND');
    if (isClash(updated)) throw new AppError('DEPARTMENT_NAME_TAKEN');
    if (before.active !== active) await this.record(by, kind, { type: 'department', id, label: updated.name }, {});
    return (await this.views([updated]))[0];
  }
}
