import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { elementLabel } from '../../machines/completeness';
import { DISCLOSURE_ATTRIBUTE_LABELS, FAIR_COMPETITION_CONCLUSION_LABELS, INTERPRETATION_ELEMENTS } from '../../machines/dossier';
import { EVENT_LABELS, STAGE_LABELS, STAGES, type Stage } from '../../machines/filing.machine';
import { canCreateFiling } from '../../machines/permissions';
import { REASONS, type ReasonCode } from '../../machines/reasons';
import { ROLE_LABELS } from '../../machines/roles';
import { byRequest, confinedToAuditTrail, isAuditPath } from '../audit/access';
import { confinedToAdministration, isAdministrationPath } from '../organisation/access';
import { formatCst, formatCstDay } from '../calendar';
import { PROJECT_ROOT } from '../config';
import { AppError } from '../errors';
import type { Services } from '../services';
import { changeCounts, textChanges } from '../text/diff';
import { readCookie } from '../web/cookies';
import { errorPages, explainableOnPage } from '../web/errors';
import { commandSchema, newFilingSchema } from '../web/schemas';
import { statusOf } from '../web/status';
import { verifyFormText, wellFormedQuery } from '../web/text';
import { followUpsView, validityView } from '../web/validity';
import { ledgerEventLabel, type FilingView } from '../workflow/filings';
import { actionsFor, commandFrom } from './actions';
import { adminRoutes } from './admin';
import { auditRoutes } from './audit';
import { consultationRoutes } from './consultation';
import { loginPath, safeConsolePath } from './next';
import { statisticsRoutes } from './statistics';
import { actorOf, ConsolePages, tasksTitle, type Signed } from './page';

const SESSION = 'pd_session';
const PAGE_SIZE = 20;

/** R12: the drafting unit's conclusion, with an exception's ground, necessity and time limit, for the reviewers. */
function fairCompetitionView(view: FilingView) {
  const p = view.context.particulars;
  const c = p.fairCompetition;
  if (!p.touchesMarket && c === null) return null;
  return {
    given: c !== null,
    conclusion: c ? FAIR_COMPETITION_CONCLUSION_LABELS[c.conclusion] : '',
    restricts: c?.conclusion === 'notCompliant',
    summary: c?.summary ?? '',
    exception: c?.conclusion === 'compliantWithException',
    exceptionGround: c?.exceptionGround ?? null,
    exceptionNecessity: c?.exceptionNecessity ?? null,
    exceptionEndsOn: c?.exceptionEndsOn ? formatCstDay(c.exceptionEndsOn) : null,
  };
}

/** R1: the attribute in words; the reason only where it restricts publication. */
function disclosureView(view: FilingView) {
  const { attribute, reason } = view.context.particulars.disclosure;
  return { label: attribute ? DISCLOSURE_ATTRIBUTE_LABELS[attribute] : null, reason: attribute === 'proactive' ? null : reason };
}

function sessionCookie(req: Request): string | null {
  return readCookie(req, SESSION);
}

const DEADLINE_FILTERS = [
  { value: 'overdue', label: '已逾期' },
  { value: 'soon', label: '3个工作日内到期' },
  { value: 'any', label: '有办理时限' },
] as const;

const listQuery = z.object({
  stage: z.enum(STAGES).optional().catch(undefined),
  department: z.string().trim().min(1).max(100).optional().catch(undefined),
  deadline: z.enum(['overdue', 'soon', 'any']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

/**
 * The staff console: the same users, roles and rules as the API, in the browser.
 * Sessions live in MongoDB (the cookie holds a random token, the database its hash); every form
 * carries a CSRF token; every action goes through the same services as the API, so the server
 * refuses what a page would not offer.
 */
export function consoleRouter(services: Services, options: { csrfSecret?: string }): express.Router {
  const router = express.Router();
  const pages = new ConsolePages(options.csrfSecret);
  const { staff, filings, audit } = services;
  const form = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1200, verify: verifyFormText });
  const page = pages.render.bind(pages);
  const checkForm = pages.checkForm.bind(pages);

  router.use('/console', wellFormedQuery);

  // The console's own styles, after the public site's; before the session check, for the sign-in page.
  const css = fs.readFileSync(path.join(PROJECT_ROOT, 'templates', 'console', 'console.css'), 'utf8');
  router.get('/console/console.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(css);
  });

  // `next`: the console page to show once signed in (a link from an e-mail); refused unless safe.
  router.get('/console/login', (req, res) => page(req, res, 200, 'login', '登录', { error: null, next: safeConsolePath(req.query.next) }));

  router.post('/console/login', form, async (req, res) => {
    checkForm(req);
    const token = typeof req.body.token === 'string' ? req.body.token.trim() : '';
    const next = safeConsolePath(req.body.next);
    const now = new Date();
    const opened = token ? await staff.openSession(token, now) : null;
    // Neither the token nor any part of it is recorded: a mistyped one is a secret nonetheless.
    await audit.record({
      kind: opened ? 'signIn' : 'signInFailed',
      ...byRequest(req, opened?.actor ?? null, now),
      target: null,
      detail: { channel: 'console', ...(opened ? {} : { reason: token ? 'invalidToken' : 'noToken' }) },
      outcome: opened ? 'success' : 'failure',
    });
    if (!opened) return page(req, res, 401, 'login', '登录', { error: '访问令牌无效或已停用', next });
    res.cookie(SESSION, opened.session, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/console', maxAge: 12 * 3_600_000 });
    res.redirect(303, next ?? '/console');
  });

  // Everything below needs a signed-in member of staff. A page asked for without a session is
  // remembered through sign-in; a form posted without one is not replayed.
  router.use('/console', async (req: Request, res: Response, next: NextFunction) => {
    const session = sessionCookie(req);
    const now = new Date();
    const actor = session ? await staff.sessionActor(session, now) : null;
    if (!actor) {
      const expired = session ? await staff.endExpiredSession(session, now) : null;
      if (expired) {
        await audit.record({ kind: 'sessionExpired', ...byRequest(req, expired.actor, now), target: null, detail: { channel: 'console', sessionStarted: expired.createdAt.toISOString() }, outcome: 'success' });
      }
      return res.redirect(303, loginPath(req.method === 'GET' || req.method === 'HEAD' ? safeConsolePath(req.originalUrl) : null));
    }
    (req as Signed).actor = actor;
    // The security auditor's console is the trail: no filing, statistics or anything that changes.
    if (confinedToAuditTrail(actor) && !isAuditPath(req.originalUrl.split('?')[0]) && req.path !== '/logout') {
      if (req.path === '/' && req.method === 'GET') return res.redirect(303, '/console/audit');
      return next(new AppError('FORBIDDEN_ROLE'));
    }
    // The administrator's console is the administration: no filing list, page or statistics (the
    // trail's pages refuse them on their own, and record the attempt).
    const path = req.originalUrl.split('?')[0];
    if (confinedToAdministration(actor) && !isAdministrationPath(path) && !isAuditPath(path) && req.path !== '/logout') {
      if (req.path === '/' && req.method === 'GET') return res.redirect(303, '/console/admin/departments');
      return next(new AppError('FORBIDDEN_ROLE'));
    }
    next();
  });

  router.post('/console/logout', form, async (req, res) => {
    checkForm(req);
    const session = sessionCookie(req);
    await audit.record({ kind: 'signOut', ...byRequest(req, actorOf(req)), target: null, detail: { channel: 'console' }, outcome: 'success' });
    if (session) await staff.closeSession(session);
    res.clearCookie(SESSION, { path: '/console' });
    res.redirect(303, '/console/login');
  });

  /** My filings and my tasks: one table, filtered by stage, department and deadline. */
  const listPage = (tasks: boolean) => async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const query = listQuery.parse(req.query);
    const [list, departments] = await Promise.all([
      filings.list(actor, { ...query, tasks, pageSize: PAGE_SIZE }),
      filings.departments(actor),
    ]);
    const base = tasks ? '/console/tasks' : '/console';
    const link = (pageNumber: number) => {
      const params = new URLSearchParams();
      for (const key of ['stage', 'department', 'deadline'] as const) if (query[key]) params.set(key, query[key] as string);
      params.set('page', String(pageNumber));
      return `${base}?${params.toString()}`;
    };
    const title = tasks ? tasksTitle(actor) : '我的文件';
    page(req, res, 200, 'filings', title, {
      heading: title,
      action: base,
      tasks,
      stages: STAGES.map((s) => ({ stage: s, label: STAGE_LABELS[s], selected: s === query.stage })),
      departments: departments.map((d) => ({ name: d, selected: d === query.department })),
      deadlines: DEADLINE_FILTERS.map((d) => ({ ...d, selected: d.value === query.deadline })),
      items: list.items.map((f) => ({
        ...f,
        updatedAt: formatCst(new Date(f.updatedAt)),
        actions: f.allowedEvents.map((e) => EVENT_LABELS[e]),
      })),
      pager: {
        pages: Math.ceil(list.total / PAGE_SIZE),
        page: query.page,
        total: list.total,
        prev: query.page > 1 ? link(query.page - 1) : null,
        next: query.page * PAGE_SIZE < list.total ? link(query.page + 1) : null,
      },
    }, tasks ? { tasks: true } : { filings: true });
  };

  router.get('/console', listPage(false));
  router.get('/console/tasks', listPage(true));

  router.get('/console/filings/new', (req, res) => {
    if (!canCreateFiling(actorOf(req))) throw new AppError('FORBIDDEN_ROLE');
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
    const view = await filings.create(actorOf(req), parsed.data);
    res.redirect(303, `/console/filings/${view.id}`);
  });

  const detail = async (req: Request, res: Response, status: number, extra: { error?: string | null; errorDetails?: string[] } = {}) => {
    const actor = actorOf(req);
    const id = String(req.params.id);
    const view = await filings.get(actor, id);
    const [history, current, versions] = await Promise.all([
      filings.history(actor, id),
      filings.text(actor, id, view.context.text.version),
      filings.textVersions(actor, id),
    ]);
    const latestRound = view.context.consultations.at(-1) ?? null;
    page(req, res, status, 'filing', view.title, {
      filing: view,
      error: extra.error ?? null,
      errorDetails: extra.errorDetails ?? [],
      deficiencies: view.deficiencies,
      // A lone action comes unfolded, and so does the return dialog: two clicks to return (R18).
      actions: actionsFor(view, current.body).map((a) => ({ ...a, open: view.allowedEvents.length === 1 || a.type === 'RETURN' })),
      text: current.body,
      versions: versions.map((v, index) => ({
        version: v.version,
        at: formatCst(new Date(v.at)),
        by: v.by.name,
        previous: index > 0 ? versions[index - 1].version : null,
      })),
      canCompare: versions.length > 1,
      consultation: latestRound
        ? {
            rounds: view.context.consultations.length,
            round: latestRound.round,
            period: `${formatCst(new Date(latestRound.startsAt))} 至 ${formatCst(new Date(latestRound.endsAt))}`,
            cleared: latestRound.clearance !== null,
            closed: latestRound.closedAt !== null,
            report: latestRound.report !== null,
          }
        : null,
      // R1: the attribute governs publication; an issued document says why it is not published.
      disclosure: disclosureView(view),
      fairCompetition: fairCompetitionView(view),
      signing: view.context.signing
        ? { documentNumber: view.context.signing.documentNumber, by: view.context.signing.by.name, at: formatCst(new Date(view.context.signing.at)) }
        : null,
      issued: view.stage === 'issued',
      validity: validityView(view.context.validity, new Date()),
      followUps: followUpsView(view.context.followUps),
      approval: view.context.interpretationApproval ? `已由${view.context.interpretationApproval.by.name}审定` : null,
      materials: INTERPRETATION_ELEMENTS.map((e) => ({ label: elementLabel(e), text: view.context.interpretation.materials[e] ?? null })),
      timeline: [...history].reverse().map((entry) => ({
        at: formatCst(new Date(entry.at)),
        actor: entry.actor.name,
        role: ROLE_LABELS[entry.actor.role],
        department: entry.actor.department,
        label: ledgerEventLabel(entry.event),
        to: STAGE_LABELS[entry.to.stage as Stage],
        reasons: (entry.return?.reasons ?? []).map((r) => `${REASONS[r.code as ReasonCode]?.label ?? r.code}（${r.rule}）`),
        note: entry.note,
      })),
    }, { filings: true });
  };

  // The changes between two text versions, marked up as a drafter marks up paper.
  router.get('/console/filings/:id/diff', async (req, res) => {
    const actor = actorOf(req);
    const id = String(req.params.id);
    const view = await filings.get(actor, id);
    const versions = await filings.textVersions(actor, id);
    const numbers = versions.map((v) => v.version);
    const pick = (value: unknown, fallback: number) => {
      const n = z.coerce.number().int().catch(fallback).parse(value ?? fallback);
      if (!numbers.includes(n)) throw new AppError('TEXT_VERSION_NOT_FOUND', { version: n });
      return n;
    };
    const latest = view.context.text.version;
    const to = pick(req.query.to, latest);
    const from = pick(req.query.from, numbers.filter((n) => n < to).at(-1) ?? to);
    const [before, after] = await Promise.all([filings.text(actor, id, from), filings.text(actor, id, to)]);
    const changes = textChanges(before.body, after.body);
    page(req, res, 200, 'diff', `${view.title} · 文本比较`, {
      filing: view,
      from,
      to,
      versions: versions.map((v) => ({ version: v.version, label: `第${v.version}稿（${formatCst(new Date(v.at))}，${v.by.name}）`, isFrom: v.version === from, isTo: v.version === to })),
      changes,
      counts: changeCounts(changes),
      identical: changes.every((c) => c.change === 'kept'),
    }, { filings: true });
  });

  router.get('/console/filings/:id', (req, res) => detail(req, res, 200));

  router.post('/console/filings/:id/events', form, async (req, res) => {
    checkForm(req);
    const parsed = commandSchema.safeParse(commandFrom(req.body as Record<string, string | string[]>));
    if (!parsed.success) {
      return detail(req, res, 400, { error: '提交的内容不符合要求', errorDetails: parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`) });
    }
    try {
      const result = await filings.send(actorOf(req), String(req.params.id), parsed.data);
      if (result.intakeRefusal) {
        return detail(req, res, 422, {
          error: '报送材料不齐全，已自动退文：',
          errorDetails: result.intakeRefusal.map((d) => `${d.message}（${d.rule}）`),
        });
      }
      res.redirect(303, `/console/filings/${String(req.params.id)}`);
    } catch (error) {
      // Refusals the page can explain stay on the page; the rest go to the error page.
      if (explainableOnPage(error)) return detail(req, res, statusOf(error), { error: error.message });
      throw error;
    }
  });

  consultationRoutes(router, services, pages, form);
  statisticsRoutes(router, services, pages);
  auditRoutes(router, services, pages);
  adminRoutes(router, services, pages, form);

  // A signed-in request for a console path or method that does not exist gets a console page,
  // not the API's JSON (it would otherwise fall through to the bearer-token check: a 401).
  router.use('/console', (_req, _res, next) => next(new AppError('PAGE_NOT_FOUND')));

  // The framework's own 4xx (a broken percent-encoding, a form over its limit) are pages too.
  router.use('/console', errorPages((req, res, status, heading, message) => page(req, res, status, 'error', heading, { heading, message }), { 404: '页面不存在', 403: '无权访问' }));

  return router;
}
