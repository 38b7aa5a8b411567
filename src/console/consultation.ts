import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { STAGE_LABELS } from '../../machines/filing.machine';
import { recordRequest } from '../web/audit';
import { formatCst } from '../calendar';
import { splitArticles } from '../consultation/comments';
import { withCurrentSamples } from '../consultation/report';
import { AppError } from '../errors';
import type { RedactionRequest } from '../consultation/comments';
import type { Services } from '../services';
import type { MaskingRecord, ReportRecord } from '../store/records';
import { DISPOSITION_OUTCOMES, type DispositionOutcome } from '../store/records';
import { explainableOnPage } from '../web/errors';
import { disposalSchema, redactionSchema } from '../web/schemas';
import { statusOf } from '../web/status';
import { actorOf, type ConsolePages } from './page';

export const OUTCOME_LABELS: Record<DispositionOutcome, string> = {
  adopted: '采纳',
  partlyAdopted: '部分采纳',
  notAdopted: '未采纳',
  notApplicable: '不适用',
};

const PAGE_SIZE = 50;

const workbenchQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  article: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  undisposed: z.literal('true').optional().catch(undefined),
  cluster: z.string().regex(/^[0-9a-f]{24}$/).optional().catch(undefined),
  // R16: the lead department may look at what the public will see.
  view: z.literal('masked').optional().catch(undefined),
});

type Form = Record<string, string | string[] | undefined>;

/**
 * The consultation workbench (R8–R11, R16): the comments of a round with filters, the campaigns
 * found among them, bulk answers (selected comments or a whole campaign), and the adoption report
 * as it would read. Every rule is the workbench service's, shared with the API.
 */
export function consultationRoutes(router: express.Router, services: Services, pages: ConsolePages, form: express.RequestHandler): void {
  const { filings, workbench, repositories, audit } = services;

  const roundOf = (value: unknown) => {
    const parsed = z.coerce.number().int().min(1).max(1000).safeParse(value);
    if (!parsed.success) throw new AppError('CONSULTATION_NOT_FOUND');
    return parsed.data;
  };

  const show = async (req: Request, res: Response, status: number, error: string | null, errorDetails: string[] = []) => {
    const actor = actorOf(req);
    const id = String(req.params.id);
    // The whole filing to those who may see it; a public consultation to other staff (R15/R16).
    const consultation = await workbench.consultation(actor, id);
    const view = { id, title: consultation.title, reference: consultation.reference, stage: consultation.stage, leadDepartment: consultation.head.leadDepartment, context: { consultations: consultation.rounds } };
    const round = view.context.consultations.find((r) => r.round === roundOf(req.params.round));
    if (!round) throw new AppError('CONSULTATION_NOT_FOUND');
    const query = workbenchQuery.parse(req.query);
    const mayReveal = workbench.revealsOriginal(actor, view);
    const masked = !mayReveal || query.view === 'masked';
    const listQuery = {
      round: round.round,
      page: query.page,
      pageSize: PAGE_SIZE,
      article: query.article,
      undisposed: query.undisposed === 'true',
      clusterId: query.cluster,
    };
    const [{ head, items, total }, progress, clusters] = await Promise.all([
      workbench.commentsOf(actor, id, listQuery, masked),
      workbench.progress(actor, id, round.round),
      workbench.clusters(actor, id, round.round),
    ]);
    // The comments as written, with their authors' contact details (原文, R16): recorded before shown.
    if (!masked) {
      await recordRequest(audit, req, actor, 'personalDataRead', { type: 'filing', id, label: head.reference }, {
        what: '公众意见原文及联系方式',
        round: round.round,
        page: query.page,
        count: items.length,
      });
    }
    const draft = await services.comments.draftOf(head, round.draftVersion);
    const mayDispose = workbench.mayDispose(actor, head) && view.context.consultations.at(-1)?.round === round.round;
    const mayRedact = workbench.mayRedact(actor, head);
    const base = `/console/filings/${id}/consultation/${round.round}`;
    const link = (change: Record<string, string | number | undefined>) => {
      const params = new URLSearchParams();
      const merged: Record<string, string | number | undefined> = { ...query, ...change };
      for (const [key, value] of Object.entries(merged)) if (value !== undefined && !(key === 'page' && value === 1)) params.set(key, String(value));
      const search = params.toString();
      return search ? `${base}?${search}` : base;
    };
    const articles = splitArticles(draft);
    const here = link({});
    pages.render(req, res, status, 'consultation', `${view.title} · 意见处理`, {
      filing: view,
      error,
      errorDetails,
      notice:
        typeof req.query.done === 'string' && /^\d+$/.test(req.query.done)
          ? `已答复${req.query.done}条意见。`
          : req.query.redacted === '1'
            ? '已隐去所填文字，公众所见的文本已更新（R16）。'
            : null,
      round: {
        round: round.round,
        period: `${formatCst(new Date(round.startsAt))} 至 ${formatCst(new Date(round.endsAt))}`,
        cleared: round.clearance !== null,
        closed: round.closedAt !== null,
        extensions: round.extensions.map((e) => `延长至${formatCst(new Date(e.to))}：${e.reason}`),
        report: round.report !== null,
        reportPublished: round.report?.publishedAt != null,
      },
      rounds: view.context.consultations.map((r) => ({ round: r.round, href: `/console/filings/${id}/consultation/${r.round}`, current: r.round === round.round })),
      stageLabel: STAGE_LABELS[view.stage],
      progress,
      outcomes: DISPOSITION_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o], count: progress[o] })),
      mayReveal,
      masked,
      views: mayReveal
        ? [
            { label: '原文', href: link({ view: undefined, page: 1 }), current: !masked },
            { label: '脱敏文本（公众所见）', href: link({ view: 'masked', page: 1 }), current: masked },
          ]
        : [],
      filters: {
        action: base,
        articles: articles.map((a) => ({ number: a.number, heading: a.heading, selected: a.number === query.article })),
        undisposed: query.undisposed === 'true',
        view: query.view ?? '',
        cluster: query.cluster ?? '',
      },
      mayDispose,
      mayRedact,
      back: here,
      comments: items.map((c) => {
        const author = c.author as { name: string | null; email: string | null; phone: string | null };
        const disposition = c.disposition as { outcome: DispositionOutcome; reason: string | null } | null;
        return {
          id: c.id,
          receipt: c.receipt,
          article: c.article === null ? '全文' : (articles.find((a) => a.number === c.article)?.heading ?? `第${String(c.article)}条`),
          body: c.body,
          publicBody: c.publicBody as string,
          redactions: (c.maskings as MaskingRecord[]).filter((m) => m.kind === 'manual').length,
          author: author.name ?? '匿名',
          contact: masked ? null : [author.email, author.phone].filter(Boolean).join(' · ') || null,
          createdAt: formatCst(c.createdAt as Date),
          disposition: disposition ? { label: OUTCOME_LABELS[disposition.outcome], reason: disposition.reason } : null,
        };
      }),
      concentratedMinComments: workbench.concentratedMinComments,
      clusters: clusters.map((c) => ({
        ...c,
        href: link({ cluster: c.clusterId, page: 1 }),
        current: c.clusterId === query.cluster,
        outcomes: Object.entries(c.outcomes).map(([k, n]) => `${k === 'undisposed' ? '未答复' : OUTCOME_LABELS[k as DispositionOutcome]} ${n}`),
      })),
      pager: {
        pages: Math.ceil(total / PAGE_SIZE),
        page: query.page,
        total,
        prev: query.page > 1 ? link({ page: query.page - 1 }) : null,
        next: query.page * PAGE_SIZE < total ? link({ page: query.page + 1 }) : null,
      },
      reportHref: `${base}/report`,
    }, { filings: true });
  };

  router.get('/console/filings/:id/consultation', async (req, res) => {
    const { rounds } = await workbench.consultation(actorOf(req), String(req.params.id));
    const view = { id: String(req.params.id) };
    const latest = rounds.at(-1);
    if (!latest) throw new AppError('CONSULTATION_NOT_FOUND');
    res.redirect(303, `/console/filings/${view.id}/consultation/${latest.round}`);
  });

  router.get('/console/filings/:id/consultation/:round', (req, res) => show(req, res, 200, null));

  /** Back to the same filtered page after a form; only ever a path of this workbench. */
  const backTo = (back: string, id: string, round: number, param: string, value: string) => {
    const target = back.startsWith(`/console/filings/${id}/consultation/${round}`) && !back.includes('//') ? back : `/console/filings/${id}/consultation/${round}`;
    const url = new URL(target, 'http://console.local');
    url.searchParams.set(param, value);
    return `${url.pathname}${url.search}`;
  };

  // R16: a reviewer masks what no pattern caught in a comment's public text, with the reason.
  router.post('/console/filings/:id/consultation/:round/redactions', form, async (req, res) => {
    pages.checkForm(req);
    const body = req.body as Form;
    const one = (key: string) => {
      const value = body[key];
      return (Array.isArray(value) ? value[0] : value) ?? '';
    };
    const round = roundOf(req.params.round);
    const id = String(req.params.id);
    // The words exactly as the public reads them: not trimmed.
    const parsed = redactionSchema.safeParse({ text: one('text') === '' ? undefined : one('text'), reason: one('reason') });
    if (!parsed.success) return show(req, res, 400, '未能隐去：', parsed.error.issues.map((i) => (i.path[0] === 'text' ? '请填写要隐去的文字' : i.message)));
    try {
      await workbench.redact(actorOf(req), id, one('commentId'), parsed.data as RedactionRequest);
      await recordRequest(audit, req, actorOf(req), 'personalDataRedacted', { type: 'comment', id: one('commentId'), label: `意见 ${one('commentId')}` }, {
        filing: id,
        reason: parsed.data.reason,
      });
      res.redirect(303, backTo(one('back'), id, round, 'redacted', '1'));
    } catch (error) {
      if (explainableOnPage(error)) return show(req, res, statusOf(error), error.message);
      throw error;
    }
  });

  // R11: one answer for the selected comments, or for a whole campaign.
  router.post('/console/filings/:id/consultation/:round/dispositions', form, async (req, res) => {
    pages.checkForm(req);
    const body = req.body as Form;
    const many = (key: string) => {
      const value = body[key];
      return value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
    };
    const one = (key: string) => many(key)[0]?.trim() ?? '';
    const cluster = one('clusterId');
    const parsed = disposalSchema.safeParse({
      ...(cluster ? { clusterId: cluster } : { commentIds: many('commentIds') }),
      outcome: one('outcome'),
      reason: one('reason') || null,
    });
    const round = roundOf(req.params.round);
    const id = String(req.params.id);
    if (!parsed.success) {
      const messages = parsed.error.issues.map((i) => (i.path[0] === 'commentIds' && cluster === '' ? '请至少选择一条意见' : i.message));
      return show(req, res, 400, '未能答复：', messages);
    }
    try {
      const disposed = await workbench.dispose(actorOf(req), id, round, parsed.data);
      res.redirect(303, backTo(one('back'), id, round, 'done', String(disposed)));
    } catch (error) {
      if (explainableOnPage(error)) return show(req, res, statusOf(error), error.message);
      throw error;
    }
  });

  // The adoption report: as finalised once it is, else a preview of how it would read now.
  router.get('/console/filings/:id/consultation/:round/report', async (req, res) => {
    const actor = actorOf(req);
    const id = String(req.params.id);
    const view = await filings.get(actor, id);
    const round = view.context.consultations.find((r) => r.round === roundOf(req.params.round));
    if (!round) throw new AppError('CONSULTATION_NOT_FOUND');
    let report: ReportRecord | null = null;
    if (round.report) {
      const stored = await repositories.reports.byId(round.report.reportId);
      report = stored && (await withCurrentSamples(repositories.comments, stored));
    }
    const preview = !report;
    if (!report) report = (await workbench.preview(actor, id, round.round)).report;
    // A console page like the others (layout, styles, phone width), not the public report's own.
    pages.render(req, res, 200, 'report', `意见收集和采纳情况 · ${view.title}`, {
      filingId: view.id,
      title: view.title,
      reference: view.reference,
      preview,
      generatedAt: formatCst(new Date(report.generatedAt)),
      report,
      outcomes: DISPOSITION_OUTCOMES.map((outcome) => ({ label: OUTCOME_LABELS[outcome], count: report.totals[outcome] })),
      concentrated: report.concentrated.map((c) => ({ ...c, outcome: OUTCOME_LABELS[c.outcome] })),
    }, { filings: true });
  });
}
