/**
 * Every refusal the API can give, as a typed code with its HTTP status and a Chinese message.
 * Handlers throw `AppError`s; only the error middleware turns them into responses.
 */
export const ERRORS = {
  UNAUTHENTICATED: { status: 401, message: '未提供有效的身份令牌' },
  FORBIDDEN_ROLE: { status: 403, message: '当前角色无权执行此操作' },
  FORBIDDEN_DEPARTMENT: { status: 403, message: '无权访问其他部门的文件' },
  VALIDATION_FAILED: { status: 400, message: '请求内容不符合要求' },
  MALFORMED_JSON: { status: 400, message: '请求体不是有效的 JSON' },
  MALFORMED_REQUEST: { status: 400, message: '请求格式不正确' },
  // Text that is not valid Unicode (invalid UTF-8 bytes, lone UTF-16 surrogates) is refused whole
  // rather than stored with U+FFFD in it: a stored comment or filing must say what was sent.
  MALFORMED_TEXT: { status: 400, message: '提交的内容含有无效的字符编码，请使用有效的 UTF-8 文本后重试' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '请求体须为 application/json' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求体过大' },
  FILING_NOT_FOUND: { status: 404, message: '文件不存在' },
  TEXT_VERSION_NOT_FOUND: { status: 404, message: '该文本版本不存在' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  PAGE_NOT_FOUND: { status: 404, message: '您访问的页面不存在' },
  MESSAGE_NOT_FOUND: { status: 404, message: '邮件不存在' },
  MESSAGE_NOT_FAILED: { status: 409, message: '只有发送失败的邮件才能重新发送' },
  VERSION_CONFLICT: { status: 409, message: '文件已被他人修改，请刷新后重试' },
  EVENT_NOT_ALLOWED: { status: 409, message: '当前环节不能执行此操作' },
  FILING_INCOMPLETE: { status: 422, message: '报送材料不齐全，已按规定退文' },
  CONSULTATION_PERIOD_TOO_SHORT: { status: 422, message: '征求意见期限短于规定期限，须说明理由' },
  EXTENSION_NOT_LATER: { status: 422, message: '延长后的结束时间须晚于原结束时间' },
  COMMENTS_UNDISPOSED: { status: 422, message: '尚有意见未作处理，不能生成意见采纳情况' },
  CONSULTATION_NOT_OPEN: { status: 409, message: '该草案当前不在公开征求意见期内' },
  CONSULTATION_NOT_FOUND: { status: 404, message: '未找到公开征求意见的草案' },
  COMMENT_NOT_FOUND: { status: 404, message: '未找到该回执编号对应的意见' },
  CLUSTER_NOT_FOUND: { status: 404, message: '未找到该意见组' },
  REDACTION_TEXT_NOT_FOUND: { status: 422, message: '公开文本中没有要隐去的文字，请按公开文本一字不差地填写' },
  COMMENT_TEXT_CHANGED: { status: 409, message: '该意见的公开文本已按现行规则重新去标识化，请按新的公开文本重新选择' },
  DOCUMENT_NOT_FOUND: { status: 404, message: '未找到该文件' },
  FORBIDDEN_FORM: { status: 403, message: '表单已失效，请返回上一页刷新后重新提交' },
  DISPOSITION_NOT_OPEN: { status: 409, message: '当前环节不能处理意见' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: '该提交标识已用于一条内容不同的意见，不能重复使用；请重新打开意见表单或换用新的 Idempotency-Key 后再提交' },
  RATE_LIMITED: { status: 429, message: '提交过于频繁，请稍后再试' },
  MACHINE_VERSION_UNSUPPORTED: { status: 409, message: '该文件由更新版本的系统保存，当前版本无法处理' },
  // The security audit trail could not take an entry (too many writers at once): nothing was done.
  AUDIT_TRAIL_BUSY: { status: 503, message: '安全审计日志暂时无法记录，操作未执行，请稍后重试' },
  DATABASE_UNAVAILABLE: { status: 503, message: '数据库暂时不可用，请稍后重试' },
  REQUEST_TIMEOUT: { status: 503, message: '请求处理超时，请稍后重试' },
  INTERNAL_ERROR: { status: 500, message: '服务器内部错误' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    /** Machine-readable details: the offending field, allowed events, deficiencies… */
    readonly details: Record<string, unknown> = {},
    message?: string,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

/**
 * Maps whatever was thrown onto a typed code: nothing leaves as an untyped 500. Shared by the
 * API's error handler and the pages' (public site, console), so a refusal the framework raises
 * itself — a broken percent-encoding, a body over its limit — is the same 4xx everywhere.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; name?: string; status?: number };
  // body-parser's own errors carry a `type`.
  if (e.type === 'entity.parse.failed') return new AppError('MALFORMED_JSON');
  if (e.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (e.type === 'request.aborted' || e.type === 'request.size.invalid') return new AppError('MALFORMED_REQUEST');
  if (
    e.name === 'MongoNetworkError' ||
    e.name === 'MongoServerSelectionError' ||
    e.name === 'MongoNotConnectedError' ||
    e.name === 'MongoTopologyClosedError'
  ) {
    return new AppError('DATABASE_UNAVAILABLE');
  }
  // Anything else the framework refused as a client error, e.g. a broken percent-encoding.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('MALFORMED_REQUEST');
  return new AppError('INTERNAL_ERROR');
}
