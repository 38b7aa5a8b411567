import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { elementLabel } from '../../machines/completeness';
import { INTERPRETATION_ELEMENTS } from '../../machines/dossier';
import { EVENT_LABELS, STAGE_LABELS, STAGES, type FilingEventType, type Stage } from '../../machines/filing.machine';
import { canCreateFiling } from '../../machines/permissions';
import { REASONS, type ReasonCode } from '../../machines/reasons';
import { ROLE_LABELS, type Actor } from '../../machines/roles';
import { formatCst } from '../calendar';
import { PROJECT_ROOT } from '../config';
import { AppError } from '../errors';
import { commandSchema, newFilingSchema } from '../http/schemas';
import { Csrf, readCookie } from '../portal/csrf';
import { PageViews } from '../portal/views';
import type { Services } from '../services';
import { actionsFor, commandFrom } from './actions';

const SESSION = 'pd_session';

function sessionCookie(req: Request): string | null {
  return readCookie(req, SESSION);
}

type Signed = Request & { actor: Actor };

/**
 * The staff console (issue 6): the same users, roles and rules as the API, in the browser.
 * Sessions live in MongoDB (the cookie holds a random token, the database its hash); every form
 * carries a CSRF token; every action goes through the same FilingService as the API, so the
 * server refuses what a page would not offer.
 */
export function consoleRouter(services: Services, options: { csrfSecret?: string }): express.Router {
  const router = express.Router();
  const views = new PageViews(path.join(PROJECT_ROOT, 'templates', 'console'), ['filings', 'new']);
  const csrf = new Csrf(options.csrfSecret);
  const { staff, filings } = services;
  const form = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 200 });

  const page = (req: Request, res: Response, status: number, name: string, title: string, data: Record<string, unknown>, nav = {}) => {
    const actor = (req as Partial<Signed>).actor;
    const token = csrf.issue(req, res);
    const user = actor
      ? { name: actor.name, roleLabel: ROLE_LABELS[actor.role], department: actor.department, canCreate: canCreateFiling(actor) }
      : null;
    res.status(status).type('html').send(views.render(name, title, { ...data, csrf: token }, nav, { user, csrf: token }));
  };
  const checkForm = (req: Request) => {
    if (!csrf.verify(req, (req.body as Record<string, unknown> | undefined)?._csrf)) throw new AppError('FORBIDDEN_FORM');
  };

  router.get('/console/login', (req, res) => page(req, res, 200, 'login', '登录', { error: null }));

  router.post('/console/login', form, async (req, res) => {
    checkForm(req);
    const token = typeof req.body.token === 'string' ? req.body.token.trim() : '';
    const opened = token ? await staff.openSession(token, new Date()) : null;
    if (!opened) return page(req, res, 401, 'login', '登录', { error: '访问令牌无效或已停用' });
    res.cookie(SESSION, opened.session, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/console', maxAge: 12 * 3_600_000 });
    res.redirect(303, '/console');
  });

  // Everything below needs a signed-in member of staff.
  router.use('/console', async (req: Request, res: Response, next: NextFunction) => {
    const session = sessionCookie(req);
    const actor = session ? await staff.sessionActor(session, new Date()) : null;
    if (!actor) return res.redirect(303, '/console/login');
    (req as Signed).actor = actor;
    next();
  });

  router.post('/console/logout', form, async (req, res) => {
    checkForm(req);
    const session = sessionCookie(req);
    if (session) await staff.closeSession(session);
    res.clearCookie(SESSION, { path: '/console' });
    res.redirect(303, '/console/login');
  });

  router.get('/console', async (req, res) => {
    const actor = (req as Signed).actor;
    const stage = z.enum(STAGES).optional().catch(undefined).parse(req.query.stage);
    const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1).parse(req.query.page ?? 1);
    const list = await filings.list(actor, { stage, page: pageNumber, pageSize: 20 });
    page(req, res, 200, 'filings', '我的文件', {
      stages: STAGES.map((s) => ({ stage: s, label: STAGE_LABELS[s], selected: s === stage })),
      items: list.items.map((f) => ({
        ...f,
        updatedAt: formatCst(new Date(f.updatedAt)),
        actions: f.allowedEvents.map((e) => EVENT_LABELS[e]),
      })),
      pager: {
        pages: Math.ceil(list.total / 20),
        page: pageNumber,
        total: list.total,
        prev: pageNumber > 1 ? `/console?page=${pageNumber - 1}${stage ? `&stage=${stage}` : ''}` : null,
        next: pageNumber * 20 < list.total ? `/console?page=${pageNumber + 1}${stage ? `&stage=${stage}` : ''}` : null,
      },
    }, { filings: true });
  });

  router.get('/console/filings/new', (req, res) => {
    if (!canCreateFiling((req as Signed).actor)) throw new AppError('FORBIDDEN_ROLE');
    page(req, res, 200, 'new-filing', '新建文件', { error: null, values: { title: '', body: '', coDepartments: '' } }, { new: true });
  });

  router.post('/console/filings', form, async (req, res) => {
    checkForm(req);
    const body = req.body as Record<string, string>;
    const parsed = newFilingSchema.safeParse({
      title: body.title,
      body: body.body,
      coDepartments: (body.coDepartments ?? '').split(/\r?\n/).map((d) => d.trim()).filter(Boolean),
    });
    if (!parsed.success) {
      return page(req, res, 400, 'new-filing', '新建文件', {
        error: parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`).join('；'),
        values: { title: body.title ?? '', body: body.body ?? '', coDepartments: body.coDepartments ?? '' },
      }, { new: true });
    }
    const view = await filings.create((req as Signed).actor, parsed.data);
    res.redirect(303, `/console/filings/${view.id}`);
  });

  const detail = async (req: Request, res: Response, status: number, extra: { error?: string | null; errorDetails?: string[]; notice?: string | null } = {}) => {
    const actor = (req as Signed).actor;
    const id = String(req.params.id);
    const view = await filings.get(actor, id);
    const [history, current] = await Promise.all([
      filings.history(actor, id),
      filings.text(actor, id, view.context.text.version),
    ]);
    const versions = await filings.textVersions(actor, id);
    page(req, res, status, 'filing', view.title, {
      filing: view,
      error: extra.error ?? null,
      errorDetails: extra.errorDetails ?? [],
      notice: extra.notice ?? null,
      deficiencies: view.deficiencies,
      actions: actionsFor(view, current.body).map((a, index) => ({ ...a, open: index === 0 && view.allowedEvents.length === 1 })),
      text: current.body,
      versions: versions.map((v) => ({ version: v.version, at: formatCst(new Date(v.at)), by: v.by.name })),
      approval: view.context.interpretationApproval ? `已由${view.context.interpretationApproval.by.name}审定` : null,
      materials: INTERPRETATION_ELEMENTS.map((e) => ({ label: elementLabel(e), text: view.context.interpretation.materials[e] ?? null })),
      timeline: [...history].reverse().map((entry) => ({
        at: formatCst(new Date(entry.at)),
        actor: entry.actor.name,
        role: ROLE_LABELS[entry.actor.role],
        department: entry.actor.department,
        label: entry.event === 'CREATE' ? '创建文件' : EVENT_LABELS[entry.event as FilingEventType],
        to: STAGE_LABELS[entry.to.stage as Stage],
        reasons: (entry.return?.reasons ?? []).map((r) => `${REASONS[r.code as ReasonCode]?.label ?? r.code}（${r.rule}）`),
        note: entry.note,
      })),
    }, { filings: true });
  };

  router.get('/console/filings/:id', (req, res) => detail(req, res, 200));

  router.post('/console/filings/:id/events', form, async (req, res) => {
    checkForm(req);
    const parsed = commandSchema.safeParse(commandFrom(req.body as Record<string, string | string[]>));
    if (!parsed.success) {
      return detail(req, res, 400, { error: '提交的内容不符合要求', errorDetails: parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`) });
    }
    try {
      const result = await filings.send((req as unknown as Signed).actor, String(req.params.id), parsed.data);
      if (result.intakeRefusal) {
        return detail(req, res, 422, {
          error: '报送材料不齐全，已自动退文：',
          errorDetails: result.intakeRefusal.map((d) => `${d.message}（${d.rule}）`),
        });
      }
      res.redirect(303, `/console/filings/${String(req.params.id)}`);
    } catch (error) {
      // Refusals the page can explain stay on the page; the rest go to the error page.
      if (error instanceof AppError && error.status < 500 && error.code !== 'FILING_NOT_FOUND' && error.code !== 'FORBIDDEN_DEPARTMENT') {
        return detail(req, res, error.status, { error: error.message });
      }
      throw error;
    }
  });

  router.use('/console', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof AppError) || res.headersSent) return next(error);
    const heading = error.status === 404 ? '页面不存在' : error.status === 403 ? '无权访问' : '无法完成操作';
    page(req, res, error.status, 'error', heading, { heading, message: error.message });
  });

  return router;
}
