/**
 * What the security audit trail records (网络安全法 art. 21: sign-ins, administration, access to
 * personal information), each kind with the label the auditor reads. Kinds are only ever added:
 * stored entries keep the kind they were written with.
 */
export const AUDIT_KIND_LABELS = {
  // Signing in and out.
  signIn: '登录',
  signInFailed: '登录失败',
  lockout: '账户锁定',
  unlock: '解除锁定',
  signOut: '退出登录',
  sessionExpired: '会话过期',
  passwordChanged: '修改密码',
  secondFactorEnrolled: '绑定第二认证因素',
  secondFactorReset: '重置第二认证因素',
  // Credentials.
  tokenIssued: '签发访问令牌',
  tokenRevoked: '吊销访问令牌',
  // Administration of people, roles and departments.
  personCreated: '新增人员',
  personChanged: '修改人员信息',
  personDeactivated: '停用人员',
  personReactivated: '重新启用人员',
  roleGranted: '授予角色',
  roleRevoked: '撤销角色',
  departmentCreated: '新增部门',
  departmentChanged: '修改部门',
  departmentDeactivated: '停用部门',
  departmentReactivated: '重新启用部门',
  jurisdictionCreated: '新增行政区域',
  jurisdictionChanged: '修改行政区域',
  // Personal information (R16): read, exported, redacted by hand.
  personalDataRead: '查阅个人信息',
  personalDataExported: '导出个人信息',
  personalDataRedacted: '人工隐去个人信息',
  // The trail itself.
  auditTrailRead: '查阅安全审计日志',
  auditTrailExported: '导出安全审计日志',
} as const;

export type AuditKind = keyof typeof AUDIT_KIND_LABELS;

export const AUDIT_KINDS = Object.keys(AUDIT_KIND_LABELS) as AuditKind[];

export function isAuditKind(value: string): value is AuditKind {
  return Object.prototype.hasOwnProperty.call(AUDIT_KIND_LABELS, value);
}

/** The label of a stored kind; one written by a newer version reads as itself. */
export function auditKindLabel(kind: string): string {
  return isAuditKind(kind) ? AUDIT_KIND_LABELS[kind] : kind;
}

export const AUDIT_OUTCOME_LABELS = { success: '成功', failure: '失败' } as const;
