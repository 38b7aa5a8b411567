/** Staff roles (docs/rules.md, "Who is who"). The public comments without an account. */
export const ROLES = [
  'drafter',
  'departmentHead',
  'clerk',
  'confidentialityReviewer',
  'legalReviewer',
  'fairCompetitionReviewer',
  'meetingSecretary',
  'signer',
  'publisher',
  'assessor',
  // Reads the security audit trail and nothing else: no filing, no statistics, no mail (三员分立).
  'securityAuditor',
  // Manages jurisdictions, departments, staff and their roles; sees no filing content (三员分立).
  'administrator',
  // A department's open-government office: disclosure attributes and what goes public (R1, R15),
  // the catalogue (R23). A department role; no filing events yet.
  'openGovernmentOffice',
  // The spokesperson and the public-opinion desk (R22). A jurisdiction-level role; no filing events yet.
  'opinionDesk',
] as const;
export type StaffRole = (typeof ROLES)[number];
/** `system` acts on its own: closing a comment period at its end instant. It has no token. */
export type Role = StaffRole | 'system';

export const ROLE_LABELS: Record<Role, string> = {
  drafter: '起草部门经办人',
  departmentHead: '部门主要负责人',
  clerk: '政府办公室收文',
  confidentialityReviewer: '保密审查',
  legalReviewer: '合法性审查',
  fairCompetitionReviewer: '公平竞争审查',
  meetingSecretary: '常务会议秘书',
  signer: '签发人',
  publisher: '政务公开发布',
  assessor: '考核',
  securityAuditor: '安全审计员',
  administrator: '系统管理员',
  openGovernmentOffice: '政务公开机构',
  opinionDesk: '新闻发言人 / 舆情值班',
  system: '系统',
};

/**
 * Roles held in a department, which so only ever see that department's filings. Every other role
 * is held in a jurisdiction (the general office, the city-level roles, the administrator).
 */
export const DEPARTMENT_ROLES: readonly Role[] = ['drafter', 'departmentHead', 'openGovernmentOffice'];

/**
 * Roles that act on no filing and see none (三员分立): the administrator manages accounts, the
 * security auditor reads the trail of what everybody did.
 */
export const FILING_BLIND_ROLES: readonly Role[] = ['administrator', 'securityAuditor'];

export function isDepartmentRole(role: Role): boolean {
  return DEPARTMENT_ROLES.includes(role);
}

/** Who is acting: stamped on every event and every history entry (R15). */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** Set for department roles; null for the general office and city-level roles. */
  department: string | null;
}

/** The actor of what the product does by itself, e.g. closing a comment period on time. */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: '系统', role: 'system', department: null };
