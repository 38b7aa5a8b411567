import { EVENT_PERMISSIONS, type FilingEventType } from './events';
import type { Stage } from './filing/stages';
import { FILING_BLIND_ROLES, isDepartmentRole, type Actor } from './roles';
import { taskStagesOf } from './tasks';

/**
 * Who may send which event — declared with each event in the registry (events/), applied here.
 * Kept apart from the chart so that "not your role / not your department" (403) and "not now"
 * (409) stay distinguishable, and so that the list of events a caller may send is the
 * intersection of the registry's permissions with what the chart allows in its state.
 */
export { EVENT_PERMISSIONS, FILING_EVENT_TYPES, type Permission, type Scope } from './events';

export interface FilingDepartments {
  leadDepartment: string;
  coDepartments: readonly string[];
}

export type Refusal = 'role' | 'department';

/**
 * What an actor may see, on a need-to-know basis. Departments are tenants: their staff see the
 * filings their department leads or contributes to. The general office and the city-level roles
 * see a filing once the department head has filed it with the general office (`sharedWithOffice`:
 * submitted at least once). Until then a draft is the department's own business, also while it is
 * out for consultation, and a city-level role sees it only while that role must act on it
 * (`actsIn`: the confidentiality reviewer on a clearance, the publisher on an adoption report).
 * The assessor sees everything (R20). The security auditor and the administrator see no filing at
 * all: one reads the security audit trail, the other manages accounts, never the content.
 */
export type Visibility =
  | { kind: 'nothing' }
  | { kind: 'everything' }
  | { kind: 'department'; department: string }
  | { kind: 'shared'; actsIn: Stage[] };

export function visibilityOf(actor: Actor): Visibility {
  if (FILING_BLIND_ROLES.includes(actor.role)) return { kind: 'nothing' };
  if (actor.role === 'assessor' || actor.role === 'system') return { kind: 'everything' };
  if (isDepartmentRole(actor.role)) return { kind: 'department', department: actor.department ?? '' };
  // The stages in which the role acts are read from the chart (machines/tasks.ts).
  return { kind: 'shared', actsIn: taskStagesOf(actor.role) };
}

export interface FilingVisibilityFacts extends FilingDepartments {
  /** Filed with the general office: the department head has submitted it at least once. */
  sharedWithOffice: boolean;
  stage: Stage;
}

/** The fact behind `sharedWithOffice`, kept on the stored filing for queries. */
export function filedWithOffice(context: { submissions: number }): boolean {
  return context.submissions > 0;
}

export function canView(actor: Actor, filing: FilingVisibilityFacts): boolean {
  const visibility = visibilityOf(actor);
  switch (visibility.kind) {
    case 'nothing':
      return false;
    case 'everything':
      return true;
    case 'department':
      return isMember(actor, filing);
    case 'shared':
      return filing.sharedWithOffice || visibility.actsIn.includes(filing.stage);
  }
}

/**
 * R15/R16: a consultation cleared for publication is public — its draft and its comments, masked,
 * are on the public site. Staff of the general office and city level may read what the public
 * reads of it (and the reviewers of what goes public redact it) without seeing the rest of a draft
 * not yet filed: this is not `canView`, and it opens the consultation workbench only.
 */
export function mayReadPublicConsultation(actor: Actor, filing: { consultedAt: Date | null }): boolean {
  return visibilityOf(actor).kind === 'shared' && filing.consultedAt !== null;
}

export function isMember(actor: Actor, filing: FilingDepartments): boolean {
  return (
    actor.department !== null &&
    (actor.department === filing.leadDepartment || filing.coDepartments.includes(actor.department))
  );
}

/** null when permitted; otherwise why not. */
export function refusalFor(actor: Actor, type: FilingEventType, filing: FilingDepartments): Refusal | null {
  const permission = EVENT_PERMISSIONS[type];
  if (!permission.roles.includes(actor.role)) return 'role';
  switch (permission.scope) {
    case 'office':
      return null;
    case 'member':
      return isMember(actor, filing) ? null : 'department';
    case 'lead':
      return actor.department === filing.leadDepartment ? null : 'department';
  }
}

/** Only drafters open new filings, always with their own department as the lead (R3). */
export function canCreateFiling(actor: Actor): boolean {
  return actor.role === 'drafter' && actor.department !== null;
}
