import type { RuleId } from '../../machines/reasons';

/**
 * Every refusal the service can give, as a typed code with its Chinese message and, where a
 * domain rule refuses, the rule. Domain code throws `AppError`s and knows nothing of HTTP: the
 * status each code answers with is chosen at the edge, in one table (src/web/status.ts).
 */
interface ErrorEntry {
  message: string;
  rule?: RuleId;
}

export const ERRORS = {
  UNAUTHENTICATED: { message: '未提供有效的身份令牌' },
  FORBIDDEN_ROLE: { message: '当前角色无权执行此操作' },
  FORBIDDEN_DEPARTMENT: { message: '无权访问其他部门的文件' },
  VALIDATION_FAILED: { message: '请求内容不符合要求' },
  MALFORMED_JSON: { message: '请求体不是有效的 JSON' },
  MALFORMED_REQUEST: { message: '请求格式不正确' },
  // Text that is not valid Unicode (invalid UTF-8 bytes, lone UTF-16 surrogates) is refused whole
  // rather than stored with U+FFFD in it: a stored comment or filing must say what was sent.
  MALFORMED_TEXT: { message: '提交的内容含有无效的字符编码，请使用有效的 UTF-8 文本后重试' },
  UNSUPPORTED_MEDIA_TYPE: { message: '请求体须为 application/json' },
  PAYLOAD_TOO_LARGE: { message: '请求体过大' },
  FILING_NOT_FOUND: { message: '文件不存在' },
  TEXT_VERSION_NOT_FOUND: { message: '该文本版本不存在' },
  ROUTE_NOT_FOUND: { message: '接口不存在' },
  PAGE_NOT_FOUND: { message: '您访问的页面不存在' },
  MESSAGE_NOT_FOUND: { message: '邮件不存在' },
  MESSAGE_NOT_FAILED: { message: '只有发送失败的邮件才能重新发送' },
  VERSION_CONFLICT: { message: '文件已被他人修改，请刷新后重试' },
  EVENT_NOT_ALLOWED: { message: '当前环节不能执行此操作' },
  FILING_INCOMPLETE: { message: '报送材料不齐全，已按规定退文', rule: 'R18' },
  CONSULTATION_PERIOD_TOO_SHORT: { message: '征求意见期限短于规定期限，须说明理由', rule: 'R9' },
  EXTENSION_NOT_LATER: { message: '延长后的结束时间须晚于原结束时间', rule: 'R9' },
  COMMENTS_UNDISPOSED: { message: '尚有意见未作处理，不能生成意见采纳情况', rule: 'R11' },
  CONSULTATION_NOT_OPEN: { message: '该草案当前不在公开征求意见期内', rule: 'R8' },
  CONSULTATION_NOT_FOUND: { message: '未找到公开征求意见的草案' },
  COMMENT_NOT_FOUND: { message: '未找到该回执编号对应的意见' },
  CLUSTER_NOT_FOUND: { message: '未找到该意见组' },
  REDACTION_TEXT_NOT_FOUND: { message: '公开文本中没有要隐去的文字，请按公开文本一字不差地填写', rule: 'R16' },
  COMMENT_TEXT_CHANGED: { message: '该意见的公开文本已按现行规则重新去标识化，请按新的公开文本重新选择', rule: 'R16' },
  DOCUMENT_NOT_FOUND: { message: '未找到该文件', rule: 'R1' },
  FORBIDDEN_FORM: { message: '表单已失效，请返回上一页刷新后重新提交' },
  DISPOSITION_NOT_OPEN: { message: '当前环节不能处理意见', rule: 'R11' },
  IDEMPOTENCY_KEY_REUSED: { message: '该提交标识已用于一条内容不同的意见，不能重复使用；请重新打开意见表单或换用新的 Idempotency-Key 后再提交' },
  RATE_LIMITED: { message: '提交过于频繁，请稍后再试' },
  MACHINE_VERSION_UNSUPPORTED: { message: '该文件由更新版本的系统保存，当前版本无法处理' },
  // Sign-in (src/identity). A wrong password and an unknown account give the same answer, and a
  // locked account says only that it is locked, never whether the password given was right.
  SIGN_IN_FAILED: { message: '账号或密码错误' },
  ACCOUNT_LOCKED: { message: '连续登录失败次数过多，账号已暂时锁定，请稍后再试' },
  PASSWORD_TOO_SHORT: { message: '密码长度不足' },
  PASSWORD_TOO_LONG: { message: '密码过长' },
  PASSWORD_TOO_FEW_CLASSES: { message: '密码须至少包含大写字母、小写字母、数字、符号中的三类' },
  PASSWORD_CONTAINS_IDENTITY: { message: '密码不能包含用户名或电子邮箱地址中“@”前的部分' },
  PASSWORD_TOO_COMMON: { message: '该密码过于常见，容易被猜中，请换用其他密码' },
  TOTP_CODE_MALFORMED: { message: '动态验证码应为6位数字' },
  TOTP_CODE_INVALID: { message: '动态验证码错误或已使用，请等待验证器显示新的验证码后重试' },
  TOTP_NOT_ENROLLED: { message: '尚未绑定身份验证器' },
  TOTP_ENROLLMENT_NOT_STARTED: { message: '请先生成二维码，再输入验证器显示的验证码' },
  SECOND_FACTOR_REQUIRED: { message: '系统管理员和安全审计员须先绑定身份验证器（双因素认证）' },
  RECOVERY_CODE_INVALID: { message: '恢复码错误或已使用' },
  LINK_INVALID: { message: '链接无效，请向系统管理员重新申请' },
  LINK_USED: { message: '该链接已使用过，不能再次使用' },
  LINK_EXPIRED: { message: '该链接已过期，请向系统管理员重新申请' },
  OIDC_NOT_CONFIGURED: { message: '本系统未启用统一身份认证登录' },
  OIDC_PROVIDER_UNAVAILABLE: { message: '统一身份认证平台暂时无法访问，请稍后再试' },
  OIDC_STATE_MISMATCH: { message: '登录请求已失效或不匹配，请重新登录' },
  OIDC_CALLBACK_REFUSED: { message: '统一身份认证平台返回的登录结果未通过校验，请重新登录' },
  OIDC_CLAIM_MISSING: { message: '统一身份认证平台未提供用于匹配工作人员的账号信息，请联系系统管理员' },
  // The organisation directory (administration).
  JURISDICTION_NOT_FOUND: { message: '行政区域不存在' },
  JURISDICTION_NAME_TAKEN: { message: '已有同名的行政区域' },
  JURISDICTION_CODE_TAKEN: { message: '该行政区划代码已被其他行政区域使用' },
  JURISDICTION_INACTIVE: { message: '该行政区域已停用，不能在其中新增部门' },
  DEPARTMENT_NOT_FOUND: { message: '部门不存在' },
  DEPARTMENT_NAME_TAKEN: { message: '本行政区域内已有同名部门' },
  DEPARTMENT_CODE_INVALID: { message: '统一社会信用代码不正确：应为18位，由数字和大写字母（不含I、O、S、V、Z）组成，且校验码须符合GB 32100-2015' },
  DEPARTMENT_CODE_TAKEN: { message: '该统一社会信用代码已被其他部门使用' },
  DEPARTMENT_PARENT_INVALID: { message: '上级部门须为同一行政区域内的其他部门，且不能是本部门的下级部门' },
  // The security audit trail could not take an entry (too many writers at once): nothing was done.
  AUDIT_TRAIL_BUSY: { message: '安全审计日志暂时无法记录，操作未执行，请稍后重试' },
  DATABASE_UNAVAILABLE: { message: '数据库暂时不可用，请稍后重试' },
  REQUEST_TIMEOUT: { message: '请求处理超时，请稍后重试' },
  INTERNAL_ERROR: { message: '服务器内部错误' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Machine-readable details: the offending field, allowed events, deficiencies… */
    readonly details: Record<string, unknown> = {},
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
  }
}

/** The rule a code refuses under, or null for a refusal no domain rule makes (a bad token, a bad body). */
export function ruleOf(code: ErrorCode): RuleId | null {
  const entry: ErrorEntry = ERRORS[code];
  return entry.rule ?? null;
}

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
