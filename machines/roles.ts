/** Staff roles (DOMAIN.md "Who uses it"). The public has no account; it arrives with issue 5. */
export const ROLES = [
  'drafter',
  'departmentHead',
  'clerk',
  'legalReviewer',
  'fairCompetitionReviewer',
  'meetingSecretary',
  'signer',
  'publisher',
  'assessor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  drafter: '起草部门经办人',
  departmentHead: '部门主要负责人',
  clerk: '政府办公室收文',
  legalReviewer: '合法性审查',
  fairCompetitionReviewer: '公平竞争审查',
  meetingSecretary: '常务会议秘书',
  signer: '签发人',
  publisher: '政务公开发布',
  assessor: '考核',
};

/** Roles that belong to a drafting department and so only ever see that department's filings. */
export const DEPARTMENT_ROLES: readonly Role[] = ['drafter', 'departmentHead'];

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
