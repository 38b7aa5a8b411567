import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { elementLabel } from '../../machines/completeness';
import { INTERPRETATION_FORM_LABELS, isProactivelyPublic, type InterpretationPackage } from '../../machines/dossier';
import { restore } from '../../machines/engine';
import type { ConsultationRound } from '../../machines/filing.machine';
import { cstDate, formatCst, formatCstDay, workingDaysLeft } from '../calendar';
import { splitArticles } from '../consultation/comments';
import { concentratedCampaigns, withCurrentSamples } from '../consultation/report';
import { PROJECT_ROOT } from '../config';
import { AppError } from '../errors';
import type { Services } from '../services';
import { parseFilingId } from '../store/filings';
import { toObjectId } from '../store/ids';
import type { DispositionOutcome, FilingRecord } from '../store/records';
import { Csrf } from '../web/csrf';
import { errorPages } from '../web/errors';
import { commentRateLimit } from '../web/rate-limit';
import { verifyFormText, wellFormedQuery } from '../web/text';
import { followUpsView, validityView } from '../web/validity';
import { PageViews } from '../web/views';

const PORTAL_DIR = path.join(PROJECT_ROOT, 'templates', 'portal');
const PAGE_SIZE = 20;
const OUTCOMES: Record<DispositionOutcome, string> = { adopted: '采纳', partlyAdopted: '部分采纳', notAdopted: '未采纳', notApplicable: '不适用' };

const listQuery = z.object({
  // Like the other fields, a search the form would never send (repeated, overlong) falls back
  // to none: a thrown ZodError here was an untyped 500.
  q: z.string().trim().max(100).catch(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  status: z.enum(['open', 'closed']).catch('open'),
  article: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

const commentForm = z.object({
  article: z.union([z.literal(''), z.coerce.number().int().min(1).max(10_000)]).default(''),
  body: z.string().trim().min(1, '请填写意见内容').max(2000, '意见内容不能超过2000字'),
  name: z.string().trim().max(50, '姓名不能超过50字').default(''),
  email: z.union([z.literal(''), z.email('电子邮箱格式不正确').max(200)]).default(''),
});

function notFoundAsNull(error: unknown): null {
  if (error instanceof AppError && error.code === 'COMMENT_NOT_FOUND') return null;
  throw error;
}

function day(iso: string): string {
  return formatCstDay(cstDate(new Date(iso)));
}

function pager(base: string, params: Record<string, string | number | undefined>, page: number, total: number) {
  const pages = Math.ceil(total / PAGE_SIZE);
  const link = (p: number) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, page: p })) if (v !== undefined && String(v) !== '') query.set(k, String(v));
    return `${base}?${query.toString()}`;
  };
  return { pages, page, total, prev: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null };
}

function interpretationView(interpretation: InterpretationPackage) {
  return {
    forms: interpretation.forms.map((f) => INTERPRETATION_FORM_LABELS[f]),
    materials: Object.entries(interpretation.materials).map(([element, text]) => ({ label: elementLabel(element as never), text })),
    // R5: the pieces by form — Q&A, graphic, video link… — each under its form's name.
    items: interpretation.items.map((item) => ({ ...item, formLabel: INTERPRETATION_FORM_LABELS[item.form] })),
  };
}

function roundFacts(round: ConsultationRound, now: Date) {
  const open = round.closedAt === null && now < new Date(round.endsAt);
  return {
    round: round.round,
    open,
    startsAt: day(round.startsAt),
    endsAt: formatCst(new Date(round.endsAt)),
    workingDaysLeft: open ? Math.max(0, workingDaysLeft(now, new Date(round.endsAt))) : 0,
    shortenedReason: round.shortenedReason,
    extensions: round.extensions.map((e) => ({ at: day(e.at), to: formatCst(new Date(e.to)), reason: e.reason })),
    reportPublished: round.report?.publishedAt != null,
  };
}

/**
 * The public site (R6, R8, R11, R16, R17): server-rendered, readable and usable without
 * JavaScript. It reads only what is public — cleared consultations, masked comments, published
 * reports and documents — and never a staff-only field.
 */
export function portalRouter(services: Services, options: { commentsPerMinute: number; csrfSecret?: string }): express.Router {
  const router = express.Router();
  const views = new PageViews(PORTAL_DIR, ['consultations', 'closed', 'documents', 'receipts']);
  const css = fs.readFileSync(path.join(PORTAL_DIR, 'portal.css'), 'utf8');
  const csrf = new Csrf(options.csrfSecret);
  const { store, comments } = services;
  const now = () => new Date();
  const html = (res: Response, status: number, page: string, title: string, data: Record<string, unknown>, nav = {}) =>
    res.status(status).type('html').send(views.render(page, title, data, nav));

  // A search or a receipt code that is not UTF-8 is refused here, with a page.
  router.use(['/consultations', '/documents', '/receipts', '/reports'], wellFormedQuery);

  router.get('/assets/portal.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=3600').send(css);
  });
  router.get('/', (_req, res) => res.redirect(302, '/consultations'));

  router.get('/consultations', async (req, res) => {
    const query = listQuery.parse(req.query);
    const closed = query.status === 'closed';
    const search = { title: query.q };
    const { items, total } = closed
      ? await store.closedConsultations(search, query.page, PAGE_SIZE)
      : await store.openConsultations(now(), search, query.page, PAGE_SIZE);
    const cards = items.map((head) => {
      const rounds = restore(head.snapshot).context.consultations.filter((r) => r.clearance !== null);
      const round = rounds[rounds.length - 1];
      return { filingId: String(head._id), title: head.title, reference: head.reference, leadDepartment: head.leadDepartment, ...roundFacts(round, now()) };
    });
    html(res, 200, 'consultations', closed ? '已结束的意见征集' : '意见征集', {
      heading: closed ? '已结束的意见征集' : '正在征求意见的草案',
      closed,
      q: query.q,
      items: cards,
      pager: pager('/consultations', { status: closed ? 'closed' : undefined, q: query.q }, query.page, total),
    }, closed ? { closed: true } : { consultations: true });
  });

  router.get('/consultations/:filingId', async (req, res) => {
    const { head, context, rounds } = await comments.published(req.params.filingId, now());
    const round = rounds[rounds.length - 1];
    const counts = await comments.countsByArticle(head._id, round.round);
    const articles = splitArticles(await comments.draftOf(head, round.draftVersion));
    html(res, 200, 'consultation', head.title, {
      filingId: String(head._id),
      title: head.title,
      reference: head.reference,
      leadDepartment: head.leadDepartment,
      ...roundFacts(round, now()),
      basis: round.basis,
      background: round.background,
      explanation: round.explanation,
      articles: articles.map((a) => ({ ...a, comments: counts.get(a.number) ?? 0 })),
      commentTotal: [...counts.values()].reduce((a, b) => a + b, 0),
      ...interpretationView(context.interpretation),
    }, { consultations: true });
  });

  router.get('/consultations/:filingId/comments', async (req, res) => {
    const query = listQuery.parse(req.query);
    const { head, rounds } = await comments.published(req.params.filingId, now());
    const round = rounds[rounds.length - 1];
    const counts = await comments.countsByArticle(head._id, round.round);
    const total = query.article !== undefined ? (counts.get(query.article) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0);
    const items = await comments.publicPage(head, round.round, query.article, query.page, PAGE_SIZE);
    const published = round.report?.publishedAt != null;
    html(res, 200, 'comments', `公开意见 · ${head.title}`, {
      filingId: String(head._id),
      title: head.title,
      article: query.article ?? null,
      items: items.map((c) => {
        const view = comments.toPublic(c, published);
        return {
          ...view,
          submittedAt: formatCst(c.createdAt),
          disposition: view.disposition ? { outcome: OUTCOMES[view.disposition.outcome], reason: view.disposition.reason } : null,
        };
      }),
      pager: pager(`/consultations/${String(head._id)}/comments`, { article: query.article }, query.page, total),
    }, { consultations: true });
  });

  const formPage = async (req: Request, res: Response, status: number, values: Record<string, string>, errors: string[]) => {
    const { head, context } = await comments.published(String(req.params.filingId), now());
    const round = context.consultations[context.consultations.length - 1];
    const facts = roundFacts(round, now());
    if (!facts.open) throw new AppError('CONSULTATION_NOT_OPEN');
    const selected = Number(values.article);
    const articles = splitArticles(await comments.draftOf(head, round.draftVersion)).map((a) => ({ ...a, selected: a.number === selected }));
    // Each rendering carries a token of its own, which names the submission; a copy of the page
    // from the cache (the back button after submitting) would carry one already used.
    res.set('Cache-Control', 'no-store');
    html(res, status, 'comment-form', `提出意见 · ${head.title}`, {
      filingId: String(head._id),
      title: head.title,
      endsAt: facts.endsAt,
      workingDaysLeft: facts.workingDaysLeft,
      articles,
      csrf: csrf.issue(req, res),
      values: { body: values.body ?? '', name: values.name ?? '', email: values.email ?? '' },
      errors,
    }, { consultations: true });
  };

  router.get('/consultations/:filingId/comment', async (req, res) => {
    const article = typeof req.query.article === 'string' ? req.query.article : '';
    await formPage(req, res, 200, { article }, []);
  });

  const limiter = commentRateLimit(options.commentsPerMinute);

  router.post(
    '/consultations/:filingId/comment',
    express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20, verify: verifyFormText }),
    limiter,
    async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const submittedForm = csrf.verify(req, body._csrf);
      if (!submittedForm) throw new AppError('FORBIDDEN_FORM');
      const parsed = commentForm.safeParse(body);
      const values = Object.fromEntries(['article', 'body', 'name', 'email'].map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : '']));
      if (!parsed.success) {
        await formPage(req, res, 400, values, parsed.error.issues.map((i) => i.message));
        return;
      }
      const form = parsed.data;
      const filingId = String(req.params.filingId);
      let receipt: string;
      try {
        // The rendered form is the submission: posting it again (a reload, a double click, the
        // back button) finds the comment it stored.
        ({ receipt } = await comments.submit(
          filingId,
          { article: form.article === '' ? null : form.article, paragraph: null, body: form.body, name: form.name || null, email: form.email || null, phone: null },
          req.ip ?? 'unknown',
          now(),
          `form:${submittedForm}`,
        ));
      } catch (error) {
        if (error instanceof AppError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
          throw new AppError('IDEMPOTENCY_KEY_REUSED', {}, '这份意见表单已经提交过一条内容不同的意见。如需再提意见，请重新打开意见表单填写。');
        }
        throw error;
      }
      // POST, redirect, GET: reloading the receipt reads it again and posts nothing.
      res.redirect(303, `/consultations/${filingId.toLowerCase()}/receipt/${receipt}`);
    },
  );

  /**
   * The receipt of a comment just submitted: what the receipt look-up shows — the masked text
   * (R16), no contact details — under the draft it was made on, and nothing for a code of
   * another draft, so it reveals no more than /receipts?code= does.
   */
  router.get('/consultations/:filingId/receipt/:receipt', async (req, res) => {
    const code = req.params.receipt;
    const filingId = parseFilingId(req.params.filingId);
    const found = filingId && /^YJ[0-9A-Z]{10}$/.test(code) ? await comments.lookup(code).catch(notFoundAsNull) : null;
    if (!found || found.filingId !== String(filingId)) throw new AppError('COMMENT_NOT_FOUND');
    const head = await store.head(toObjectId(found.filingId));
    html(res, 200, 'receipt', '意见已提交', {
      receipt: found.receipt,
      filingId: found.filingId,
      title: head?.title ?? '',
      article: found.article,
      body: found.body,
      submittedAt: formatCst(new Date(found.submittedAt)),
    }, { consultations: true });
  });

  router.get('/receipts', async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code.trim().toUpperCase() : '';
    if (!code) return html(res, 200, 'lookup', '回执查询', { code: '', notFound: false, comment: null }, { receipts: true });
    if (!/^YJ[0-9A-Z]{10}$/.test(code)) return html(res, 404, 'lookup', '回执查询', { code, notFound: true, comment: null }, { receipts: true });
    try {
      const found = await comments.lookup(code);
      const head = await store.head(toObjectId(found.filingId));
      const round = head ? restore(head.snapshot).context.consultations.find((r) => r.round === found.round) : undefined;
      return html(res, 200, 'lookup', '回执查询', {
        code,
        notFound: false,
        comment: {
          ...found,
          title: head?.title ?? '',
          reportPublished: round?.report?.publishedAt != null,
          disposition: found.disposition ? { outcome: OUTCOMES[found.disposition.outcome], reason: found.disposition.reason } : null,
        },
      }, { receipts: true });
    } catch (error) {
      if (error instanceof AppError && error.code === 'COMMENT_NOT_FOUND') {
        return html(res, 404, 'lookup', '回执查询', { code, notFound: true, comment: null }, { receipts: true });
      }
      throw error;
    }
  });

  router.get('/reports/:filingId/:round', async (req, res) => {
    const { head, context } = await comments.published(req.params.filingId, now());
    const roundNumber = Number(req.params.round);
    const round = context.consultations.find((r) => r.round === roundNumber);
    const stored = round?.report?.publishedAt ? await services.repositories.reports.byId(round.report.reportId) : null;
    if (!stored) throw new AppError('CONSULTATION_NOT_FOUND');
    const report = await withCurrentSamples(services.repositories.comments, stored);
    const total = report.totals.commentCount || 1;
    html(res, 200, 'report', `意见收集和采纳情况 · ${head.title}`, {
      filingId: String(head._id),
      title: head.title,
      reference: head.reference,
      generatedAt: formatCst(report.generatedAt),
      report,
      bars: (Object.keys(OUTCOMES) as DispositionOutcome[]).map((o) => ({
        label: OUTCOMES[o],
        count: report.totals[o],
        percent: Math.round((report.totals[o] / total) * 1000) / 10,
      })),
      threshold: report.concentratedMinComments ?? null,
      campaigns: concentratedCampaigns(report).map((c) => ({ ...c, answers: c.answers.map((a) => ({ ...a, outcome: OUTCOMES[a.outcome] })) })),
    }, { closed: true });
  });

  // R1: only a proactively public document, with its interpretation, is ever shown. The chart
  // publishes nothing else; this also hides one published by mistake before it enforced that.
  const publishedDocument = (head: Pick<FilingRecord, 'snapshot' | 'stage'>) => {
    const context = restore(head.snapshot).context;
    if (head.stage !== 'published' || !context.publication || !isProactivelyPublic(context.particulars)) {
      throw new AppError('DOCUMENT_NOT_FOUND');
    }
    return context;
  };

  router.get('/documents', async (req, res) => {
    const query = listQuery.parse(req.query);
    const { items, total } = await store.publishedDocuments({ title: query.q }, query.page, PAGE_SIZE);
    html(res, 200, 'documents', '政策文件与解读', {
      q: query.q,
      items: items.map((head) => {
        const context = publishedDocument(head);
        return {
          filingId: String(head._id),
          title: head.title,
          leadDepartment: head.leadDepartment,
          documentNumber: context.signing?.documentNumber ?? '',
          publishedAt: day((context.publication as { at: string }).at),
          validity: validityView(context.validity, now()),
        };
      }),
      pager: pager('/documents', { q: query.q }, query.page, total),
    }, { documents: true });
  });

  router.get('/documents/:filingId', async (req, res) => {
    const id = /^[0-9a-f]{24}$/.test(req.params.filingId) ? toObjectId(req.params.filingId) : null;
    const head = id ? await store.head(id) : null;
    if (!head) throw new AppError('DOCUMENT_NOT_FOUND');
    const context = publishedDocument(head);
    const publication = context.publication as NonNullable<typeof context.publication>;
    const meta = head.textVersions.find((v) => v.version === publication.textVersion);
    const text = (meta && (await store.text(meta.sha256))) ?? '';
    html(res, 200, 'document', head.title, {
      filingId: String(head._id),
      title: head.title,
      leadDepartment: head.leadDepartment,
      documentNumber: context.signing?.documentNumber ?? '',
      publishedAt: day(publication.at),
      validity: validityView(context.validity, now()),
      followUps: followUpsView(context.followUps),
      paragraphs: text.split(/\r?\n/).filter((line) => line.trim() !== ''),
      // R6: the interpretation published with the document, as it was at publication.
      ...interpretationView(publication.interpretation),
      reports: context.consultations.filter((r) => r.report?.publishedAt != null).map((r) => ({ round: r.round })),
    }, { documents: true });
  });

  // Anything else under the site's own paths — another method, a path it does not have — is
  // answered here as a page, rather than falling through to the API's JSON and bearer token.
  router.all('/', (_req, _res, next) => next(new AppError('PAGE_NOT_FOUND')));
  router.use(['/consultations', '/documents', '/receipts', '/reports', '/assets'], (_req, _res, next) => next(new AppError('PAGE_NOT_FOUND')));

  // Errors on the public site are pages in Chinese, not JSON; so are the framework's own 4xx
  // (a broken percent-encoding in a path, a form body over its limit).
  router.use(errorPages((_req, res, status, heading, message) => html(res, status, 'error', heading, { heading, message }), { 404: '页面不存在', 429: '操作过于频繁' }));

  return router;
}
