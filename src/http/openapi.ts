import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { COMMAND_SCHEMAS, eventSpec, FILING_EVENT_TYPES } from '../../machines/events';
import { ROLE_LABELS } from '../../machines/roles';
import { auditCsvQuerySchema, auditQuerySchema } from '../audit/query';
import { ERROR_CODES, ERRORS, ruleOf } from '../errors';
import { departmentBodySchema, departmentChangeSchema, departmentQuerySchema, jurisdictionBodySchema, jurisdictionChangeSchema } from '../organisation/schemas';
import {
  commentQuerySchema,
  disposalSchema,
  listQuerySchema,
  mailQuerySchema,
  newFilingSchema,
  redactionSchema,
  roundParamSchema,
  statisticsQuerySchema,
  textVersionParamSchema,
  yearlyStatisticsQuerySchema,
} from '../web/schemas';
import { HTTP_STATUS } from '../web/status';
import { idempotencyHeaderSchema, newCommentSchema, pageSchema, publicRoundSchema, receiptSchema } from './public';

/**
 * The API contract: an OpenAPI 3.1 document generated from the schemas that validate requests —
 * the routes' own (src/web/schemas.ts, the public API's) and every event's from the registry
 * (machines/events/) — so it cannot say something the server does not check. Served at
 * `GET /openapi.json` and rendered into docs/api.md. A test compares its paths with the routes
 * the app registers.
 */

type Method = 'get' | 'post';

interface ApiRoute {
  method: Method;
  /** Express's form, `/filings/:id`. */
  path: string;
  summary: string;
  /** Who may call it beyond holding a token; for the docs. */
  description?: string;
  /** No bearer token needed. */
  open?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and what it carries. */
  answer: { status: 200 | 201; description: string; type?: 'application/json' | 'text/csv' | 'text/html' };
}

const filingId = z.string().describe("The filing's id (24 hexadecimal digits).");
const filingParams = z.strictObject({ id: filingId });
const publicFilingParams = z.strictObject({ filingId: z.string().describe("The draft's filing id (24 hexadecimal digits).") });
const adminParams = z.strictObject({ id: z.string().describe("The record's id (24 hexadecimal digits).") });
const ADMIN_ONLY = 'The system administrator only (三员分立); the change, or a refused attempt at it, is recorded on the security audit trail.';
const messageParams = z.strictObject({ messageId: z.string().describe("The message's id.") });

/** Every event's command, each a component named after its type, with its label and who may send it. */
const eventCommands = FILING_EVENT_TYPES.map((type) => {
  const spec = eventSpec(type);
  return COMMAND_SCHEMAS[type].meta({
    id: `Event.${type}`,
    title: type,
    description: spec.description,
    'x-label': spec.label,
    'x-roles': [...spec.who.roles],
    'x-scope': spec.who.scope,
    'x-rules': [...spec.rules],
  });
});
const eventCommand = z
  .discriminatedUnion('type', eventCommands as unknown as [z.ZodObject, ...z.ZodObject[]])
  .describe('One event: its `type`, the `version` of the filing as last read, and the fields of that event (see each event).');

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'get', path: '/health', open: true, summary: 'Liveness and the database backend.', answer: { status: 200, description: '`{"status": "ok", "database": "…"}`' } },
  { method: 'get', path: '/meta', open: true, summary: 'Roles, stages, return codes, events and who may send them.', answer: { status: 200, description: 'Reference data for clients.' } },
  { method: 'get', path: '/openapi.json', open: true, summary: 'This document.', answer: { status: 200, description: 'The OpenAPI 3.1 document of the API.' } },
  { method: 'get', path: '/me', summary: 'Who the token belongs to.', answer: { status: 200, description: 'The actor: name, role, department.' } },
  {
    method: 'get',
    path: '/filings',
    summary: "Filings the caller may see, newest first, each with the caller's `allowedEvents`.",
    query: listQuerySchema,
    answer: { status: 200, description: '`{items, total, page, pageSize}`' },
  },
  {
    method: 'post',
    path: '/filings',
    summary: "Opens a filing; the lead department is the drafter's own (R3).",
    description: 'Drafters.',
    body: newFilingSchema,
    answer: { status: 201, description: 'The filing, with `Location`.' },
  },
  { method: 'get', path: '/filings/:id', summary: "The filing, its deficiencies now, and the caller's `allowedEvents`.", params: filingParams, answer: { status: 200, description: 'The filing.' } },
  { method: 'get', path: '/filings/:id/completeness', summary: 'The completeness check alone.', params: filingParams, answer: { status: 200, description: '`{deficiencies}`' } },
  {
    method: 'post',
    path: '/filings/:id/events',
    summary: 'Sends an event to the filing.',
    description: 'Who may send which event is the registry\'s (see the events). Refused with 409 `VERSION_CONFLICT` against an older version, 409 `EVENT_NOT_ALLOWED` where the stage does not allow it, 422 `FILING_INCOMPLETE` (with `deficiencies` and the returned `filing`) when intake refuses it (R18).',
    params: filingParams,
    body: eventCommand,
    answer: { status: 200, description: 'The filing in the stage it reached.' },
  },
  { method: 'get', path: '/filings/:id/history', summary: 'The append-only trace: who, role, department, when, event, from → to, reasons (R15).', params: filingParams, answer: { status: 200, description: '`{history}`' } },
  { method: 'get', path: '/filings/:id/ledger', summary: "The filing's hash-chained ledger with the result of its check (R15).", params: filingParams, answer: { status: 200, description: 'The ledger, as an attachment.' } },
  { method: 'get', path: '/filings/:id/texts', summary: 'The text versions.', params: filingParams, answer: { status: 200, description: '`{versions}`' } },
  {
    method: 'get',
    path: '/filings/:id/texts/:version',
    summary: "One version's body.",
    params: z.strictObject({ id: filingId, version: textVersionParamSchema.describe('The text version, from 1.') }),
    answer: { status: 200, description: 'The version and its body.' },
  },
  { method: 'get', path: '/filings/:id/mail', summary: 'The e-mails a filing caused, with their delivery status.', params: filingParams, answer: { status: 200, description: '`{messages}`' } },
  {
    method: 'get',
    path: '/filings/:id/comments',
    summary: 'Comments of a round (lead department: as written; others: masked), each with its `publicBody` and `maskings`.',
    params: filingParams,
    query: commentQuerySchema,
    answer: { status: 200, description: '`{items, total, page, pageSize}`' },
  },
  {
    method: 'post',
    path: '/filings/:id/comments/:commentId/redactions',
    summary: "R16: masks a span of a comment's public text, by code points or by the exact text, with the reason.",
    description: "The lead department's drafters and heads, the confidentiality reviewer, the publisher.",
    params: z.strictObject({ id: filingId, commentId: z.string().describe("The comment's id.") }),
    body: redactionSchema,
    answer: { status: 201, description: '`{publicBody, maskings}`' },
  },
  {
    method: 'get',
    path: '/filings/:id/consultations/:round/clusters',
    summary: 'Campaigns of identical and near-identical comments, each with `concentrated` (R11), and `concentratedMinComments`.',
    params: z.strictObject({ id: filingId, round: roundParamSchema.describe('The consultation round, from 1.') }),
    answer: { status: 200, description: '`{clusters, concentratedMinComments}`' },
  },
  {
    method: 'post',
    path: '/filings/:id/consultations/:round/dispositions',
    summary: 'R11: one answer for some comments or a whole campaign.',
    description: 'The lead drafter.',
    params: z.strictObject({ id: filingId, round: roundParamSchema.describe('The consultation round, from 1.') }),
    body: disposalSchema,
    answer: { status: 200, description: '`{disposed}`' },
  },
  { method: 'get', path: '/statistics', summary: 'R20: the yearly figures per department.', description: 'Assessors and clerks.', query: yearlyStatisticsQuerySchema, answer: { status: 200, description: 'The figures.' } },
  { method: 'get', path: '/statistics/csv', summary: 'R20: the same as a spreadsheet.', description: 'Assessors and clerks.', query: yearlyStatisticsQuerySchema, answer: { status: 200, description: 'CSV with a BOM, one row per department and 合计.', type: 'text/csv' } },
  { method: 'get', path: '/statistics/returns', summary: 'R18, R20: returns per department and reason code.', description: 'Assessors and clerks.', query: statisticsQuerySchema, answer: { status: 200, description: '`{year, departments}`' } },
  { method: 'get', path: '/audit', summary: 'The security audit trail, newest first: sign-ins, administration, tokens, personal-data reads.', description: 'The security auditor only (三员分立); the read is itself recorded.', query: auditQuerySchema, answer: { status: 200, description: '`{items, total, page, pageSize}`, each entry with its kind\'s Chinese label.' } },
  { method: 'get', path: '/audit/csv', summary: 'The matching trail entries as a spreadsheet.', description: 'The security auditor only; the export is recorded.', query: auditCsvQuerySchema, answer: { status: 200, description: 'CSV with a BOM, newest first.', type: 'text/csv' } },
  { method: 'get', path: '/audit/verify', summary: "Checks the trail's hash chain and names the first broken link.", description: 'The security auditor only.', answer: { status: 200, description: '`{ok, checked, …}`' } },
  { method: 'get', path: '/admin/jurisdictions', summary: 'The jurisdictions: the city and the districts sharing the installation.', description: ADMIN_ONLY, answer: { status: 200, description: '`{items}`, each `{id, name, divisionCode, parent, active}`.' } },
  { method: 'post', path: '/admin/jurisdictions', summary: 'Adds a jurisdiction.', description: ADMIN_ONLY, body: jurisdictionBodySchema, answer: { status: 201, description: 'The jurisdiction.' } },
  { method: 'post', path: '/admin/jurisdictions/:id', summary: 'Renames a jurisdiction or corrects its division code.', description: ADMIN_ONLY, params: adminParams, body: jurisdictionChangeSchema, answer: { status: 200, description: 'The jurisdiction.' } },
  { method: 'get', path: '/admin/departments', summary: 'The departments by name, searched and paged.', description: ADMIN_ONLY, query: departmentQuerySchema, answer: { status: 200, description: '`{items, total, page, pageSize}`' } },
  { method: 'post', path: '/admin/departments', summary: 'Adds a department.', description: ADMIN_ONLY, body: departmentBodySchema, answer: { status: 201, description: 'The department, with its jurisdiction\'s and parent\'s names.' } },
  { method: 'get', path: '/admin/departments/:id', summary: 'One department.', description: ADMIN_ONLY, params: adminParams, answer: { status: 200, description: 'The department.' } },
  { method: 'post', path: '/admin/departments/:id', summary: 'Changes a department: only the fields given.', description: ADMIN_ONLY, params: adminParams, body: departmentChangeSchema, answer: { status: 200, description: 'The department.' } },
  { method: 'post', path: '/admin/departments/:id/deactivate', summary: 'Deactivates a department: no new filings or staff assignments in it. Departments are never deleted.', description: ADMIN_ONLY, params: adminParams, answer: { status: 200, description: 'The department.' } },
  { method: 'post', path: '/admin/departments/:id/reactivate', summary: 'Makes a deactivated department active again.', description: ADMIN_ONLY, params: adminParams, answer: { status: 200, description: 'The department.' } },
  { method: 'get', path: '/mail', summary: 'R19: the outbox across filings.', description: 'Clerks and assessors.', query: mailQuerySchema, answer: { status: 200, description: '`{items, total, page, pageSize}`' } },
  { method: 'get', path: '/mail/:messageId', summary: 'One message with its subject, HTML and text.', description: 'Clerks and assessors.', params: messageParams, answer: { status: 200, description: 'The message.' } },
  { method: 'post', path: '/mail/:messageId/resend', summary: "Re-queues a failed message, to the recipient's current address.", description: 'Clerks.', params: messageParams, answer: { status: 200, description: 'The message.' } },
  { method: 'get', path: '/public/consultations', open: true, summary: 'Drafts open for comment (R8).', query: pageSchema, answer: { status: 200, description: '`{items, total, page, pageSize}`' } },
  {
    method: 'get',
    path: '/public/consultations/:filingId',
    open: true,
    summary: 'A draft by article, with its interpretation, basis, period, working days left and comment counts.',
    params: publicFilingParams,
    answer: { status: 200, description: 'The draft.' },
  },
  {
    method: 'post',
    path: '/public/consultations/:filingId/comments',
    open: true,
    summary: 'A comment on a draft under consultation (R11), answered with its receipt.',
    params: publicFilingParams,
    headers: idempotencyHeaderSchema,
    body: newCommentSchema,
    answer: { status: 201, description: '`{receipt, round, message}`' },
  },
  {
    method: 'get',
    path: '/public/comments/:receipt',
    open: true,
    summary: 'A comment by its receipt, with its disposition once the report is published.',
    params: z.strictObject({ receipt: receiptSchema }),
    answer: { status: 200, description: 'The comment, masked (R16).' },
  },
  ...(['', '/csv', '/html'] as const).map(
    (suffix): ApiRoute => ({
      method: 'get',
      path: `/public/reports/:filingId/:round${suffix}`,
      open: true,
      summary: { '': 'The published adoption report (R11).', '/csv': 'The same as a spreadsheet.', '/html': 'The same as a page.' }[suffix],
      params: z.strictObject({ filingId: publicFilingParams.shape.filingId, round: publicRoundSchema }),
      answer: { status: 200, description: 'The report.', type: ({ '': 'application/json', '/csv': 'text/csv', '/html': 'text/html' } as const)[suffix] },
    }),
  ),
];

/** `/filings/:id` → `/filings/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** Every error code with its status and message (and the rule it refuses under), as one schema. */
function errorCodeSchema() {
  return {
    type: 'string' as const,
    description: 'The machine-readable code of a refusal; each with the HTTP status it answers with (`x-status`) and its message.',
    oneOf: ERROR_CODES.map((code) => {
      const rule = ruleOf(code);
      return {
        const: code,
        description: `${HTTP_STATUS[code]} — ${ERRORS[code].message}`,
        'x-status': HTTP_STATUS[code],
        ...(rule ? { 'x-rule': rule } : {}),
      };
    }),
  };
}

function operation(route: ApiRoute): ZodOpenApiOperationObject {
  const requestParams: NonNullable<ZodOpenApiOperationObject['requestParams']> = {};
  if (route.params) requestParams.path = route.params;
  if (route.query) requestParams.query = route.query as z.ZodObject;
  if (route.headers) requestParams.header = route.headers;
  const type = route.answer.type ?? 'application/json';
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.open ? { security: [] } : {}),
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    responses: {
      [String(route.answer.status)]: { description: route.answer.description, content: { [type]: {} } },
      default: { $ref: '#/components/responses/Error' },
    },
  };
}

function build() {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of API_ROUTES) {
    const key = openApiPath(route.path);
    paths[key] = { ...paths[key], [route.method]: operation(route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Predisclosure API',
      version: '1',
      description:
        'Policy interpretation and decision pre-disclosure (政策解读与重大决策预公开). Bodies are JSON; user-facing texts are Simplified Chinese. Every refusal is `{"error": {"code", "message", …details}}` with a code from `ErrorCode`.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token (`npm run token`).' } },
      schemas: {
        ErrorCode: errorCodeSchema(),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { $ref: '#/components/schemas/ErrorCode' }, message: { type: 'string', description: 'What went wrong, in Chinese.' } },
              additionalProperties: true,
              description: 'Details beside the code: `field` and `issues` for `VALIDATION_FAILED`, `currentVersion`, `allowedEvents`, `deficiencies`…',
            },
          },
        },
      },
      responses: {
        Error: { description: 'A refusal; the status is the code\'s (see `ErrorCode`).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
    'x-roles': Object.fromEntries(Object.entries(ROLE_LABELS)),
  });
}

let cached: ReturnType<typeof build> | null = null;

/** The document, built once: everything it is made of is fixed when the process starts. */
export function apiDocument(): ReturnType<typeof build> {
  cached ??= build();
  return cached;
}
