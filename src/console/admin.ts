import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { requestIp, routeOf } from '../audit/access';
import { AppError } from '../errors';
import { DEPARTMENT_KIND_LABELS, type AdminContext } from '../organisation/directory';
import { departmentBodySchema, departmentChangeSchema, jurisdictionBodySchema } from '../organisation/schemas';
import type { Services } from '../services';
import { DEPARTMENT_KINDS } from '../store/records';
import { statusOf } from '../web/status';
import { parse } from '../web/validation';
import { actorOf, type ConsolePages } from './page';

const PAGE_SIZE = 20;

/** The list's filters: a value the form would never send is dropped, like the other console lists. */
const listQuery = z.object({
  q: z.string().trim().min(1).max(100).optional().catch(undefined),
  jurisdiction: z.string().regex(/^[0-9a-f]{24}$/i).optional().catch(undefined),
  active: z.enum(['true', 'false']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

/** A form's empty fields are fields left out; the schemas then say what is missing. */
function formFields(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string' && value.trim() !== '') out[field] = value;
  }
  return out;
}

/** A refusal in words for the page: the message, and which field when the form got one wrong. */
function explain(error: unknown): { status: number; message: string } {
  if (!(error instanceof AppError) || statusOf(error) >= 500 || error.code === 'FORBIDDEN_ROLE') throw error;
  const issues = (error.details.issues as Array<{ field: string; message: string }> | undefined) ?? [];
  const detail = issues.map((i) => `${FIELD_LABELS[i.field] ?? i.field}：${i.message}`).join('；');
  return { status: statusOf(error), message: detail ? `${error.message}（${detail}）` : error.message };
}

const FIELD_LABELS: Record<string, string> = { name: '名称', shortName: '简称', code: '统一社会信用代码', kind: '类别', jurisdiction: '行政区域', parent: '上级部门', divisionCode: '行政区划代码' };

/**
 * The administrator's console (系统管理): departments and jurisdictions — search, paging, adding,
 * changing, deactivating. The same rules as the API (src/organisation/directory.ts): the
 * administrator only, every change on the security audit trail.
 */
export function adminRoutes(router: express.Router, services: Services, pages: ConsolePages, form: express.RequestHandler): void {
  const { organisation } = services;
  const by = (req: Request): AdminContext => ({ actor: actorOf(req), ip: requestIp(req), at: new Date(), route: routeOf(req) });
  const nav = { admin: true };

  router.get('/console/admin', (_req, res) => res.redirect(303, '/console/admin/departments'));

  const departmentsPage = async (req: Request, res: Response, status = 200, error: string | null = null, values: Record<string, unknown> = {}) => {
    const query = listQuery.parse(req.method === 'GET' ? req.query : {});
    const context = by(req);
    const [list, jurisdictions] = await Promise.all([
      organisation.departments(context, { q: query.q, jurisdiction: query.jurisdiction, active: query.active === undefined ? undefined : query.active === 'true', page: query.page, pageSize: PAGE_SIZE }),
      organisation.jurisdictions(context),
    ]);
    const link = (n: number) => {
      const params = new URLSearchParams();
      for (const key of ['q', 'jurisdiction', 'active'] as const) if (query[key]) params.set(key, query[key] as string);
      params.set('page', String(n));
      return `/console/admin/departments?${params.toString()}`;
    };
    pages.render(req, res, status, 'admin-departments', '部门管理', {
      error,
      filters: { q: query.q ?? '' },
      jurisdictions: jurisdictions.map((j) => ({ ...j, selected: j.id === query.jurisdiction, chosen: j.id === (values.jurisdiction ?? jurisdictions[0]?.id) })),
      actives: [{ value: 'true', label: '在用', selected: query.active === 'true' }, { value: 'false', label: '已停用', selected: query.active === 'false' }],
      kinds: DEPARTMENT_KINDS.map((value) => ({ value, label: DEPARTMENT_KIND_LABELS[value], selected: value === (values.kind ?? 'department') })),
      values: { name: '', shortName: '', code: '', ...values },
      items: list.items,
      pager: { pages: Math.ceil(list.total / PAGE_SIZE), page: query.page, total: list.total, prev: query.page > 1 ? link(query.page - 1) : null, next: query.page * PAGE_SIZE < list.total ? link(query.page + 1) : null },
    }, nav);
  };

  router.get('/console/admin/departments', (req, res) => departmentsPage(req, res));

  router.post('/console/admin/departments', form, async (req, res) => {
    pages.checkForm(req);
    const fields = formFields(req.body as Record<string, unknown>, ['name', 'shortName', 'code', 'kind', 'jurisdiction']);
    try {
      const created = await organisation.createDepartment(by(req), parse(departmentBodySchema, fields));
      res.redirect(303, `/console/admin/departments/${created.id}`);
    } catch (error) {
      const { status, message } = explain(error);
      await departmentsPage(req, res, status, message, fields);
    }
  });

  const departmentPage = async (req: Request, res: Response, status = 200, error: string | null = null) => {
    const department = await organisation.department(by(req), String(req.params.id));
    pages.render(req, res, status, 'admin-department', department.name, {
      error,
      department,
      kinds: DEPARTMENT_KINDS.map((value) => ({ value, label: DEPARTMENT_KIND_LABELS[value], selected: value === department.kind })),
    }, nav);
  };

  router.get('/console/admin/departments/:id', (req, res) => departmentPage(req, res));

  router.post('/console/admin/departments/:id', form, async (req, res) => {
    pages.checkForm(req);
    const fields = formFields(req.body as Record<string, unknown>, ['name', 'shortName', 'code', 'kind']);
    try {
      await organisation.changeDepartment(by(req), String(req.params.id), parse(departmentChangeSchema, fields));
      res.redirect(303, `/console/admin/departments/${String(req.params.id)}`);
    } catch (error) {
      const { status, message } = explain(error);
      await departmentPage(req, res, status, message);
    }
  });

  for (const [action, active] of [['deactivate', false], ['reactivate', true]] as const) {
    router.post(`/console/admin/departments/:id/${action}`, form, async (req, res) => {
      pages.checkForm(req);
      await organisation.setDepartmentActive(by(req), String(req.params.id), active);
      res.redirect(303, `/console/admin/departments/${String(req.params.id)}`);
    });
  }

  const jurisdictionsPage = async (req: Request, res: Response, status = 200, error: string | null = null, values: Record<string, unknown> = {}) => {
    const items = await organisation.jurisdictions(by(req));
    pages.render(req, res, status, 'admin-jurisdictions', '行政区域', {
      error,
      items,
      cities: items.filter((j) => j.parent === null).map((j) => ({ ...j, selected: j.id === values.parent })),
      values: { name: '', divisionCode: '', ...values },
    }, nav);
  };

  router.get('/console/admin/jurisdictions', (req, res) => jurisdictionsPage(req, res));

  router.post('/console/admin/jurisdictions', form, async (req, res) => {
    pages.checkForm(req);
    const fields = formFields(req.body as Record<string, unknown>, ['name', 'divisionCode', 'parent']);
    try {
      await organisation.createJurisdiction(by(req), parse(jurisdictionBodySchema, fields));
      res.redirect(303, '/console/admin/jurisdictions');
    } catch (error) {
      const { status, message } = explain(error);
      await jurisdictionsPage(req, res, status, message, fields);
    }
  });
}
