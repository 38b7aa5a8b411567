import express, { type Request } from 'express';
import { z } from 'zod';
import { restore } from '../../machines/engine';
import type { ConsultationRound } from '../../machines/filing.machine';
import { workingDaysLeft } from '../calendar';
import { splitArticles } from '../consultation/comments';
import { reportCsv, withCurrentSamples } from '../consultation/report';
import { AppError } from '../errors';
import type { Services } from '../services';
import type { ReportRecord } from '../store/records';
import { commentRateLimit } from '../web/rate-limit';
import { parse } from '../web/validation';

/** Comment intake limits per client: generous for people, tight for scripts. */
export interface PublicSettings {
  commentsPerMinute: number;
  /** Shared by all instances so a form served by one can be posted to another. */
  csrfSecret?: string;
}

/** A comment from the public (R11); contact details are kept from the public and masked in the text (R16). */
export const newCommentSchema = z.strictObject({
  article: z.number().int().min(1).max(10_000).nullable().default(null).describe('The article (条) of the draft it is about; null: the draft as a whole.'),
  paragraph: z.number().int().min(1).max(10_000).nullable().default(null).describe('The paragraph (款) of that article, if any.'),
  body: z.string().trim().min(1).max(2_000).describe('The comment. Published masked (R16) once cleared.'),
  name: z.string().trim().min(1).max(50).nullable().default(null).describe('Who comments; shown with the comment, or null for anonymous.'),
  email: z.email().max(200).nullable().default(null).describe('Where the answer may be sent; never published.'),
  phone: z.string().trim().regex(/^[0-9+\-\s()]{5,30}$/).nullable().default(null).describe('A telephone number; never published.'),
});

export const pageSchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1).describe('The page, from 1.'),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page.'),
});

/** A comment's receipt code (回执编号), as printed on its receipt. */
export const receiptSchema = z.string().regex(/^YJ[0-9A-Z]{10}$/).describe('The receipt code, `YJ` and ten digits or capitals.');

/** A consultation round of a filing, from 1. */
export const publicRoundSchema = z.coerce.number().int().min(1).max(1000).describe('The consultation round, from 1.');

/** The `Idempotency-Key` header of a comment (see `idempotencyKey`). */
export const idempotencyHeaderSchema = z.strictObject({
  'Idempotency-Key': z
    .string()
    .min(16)
    .max(202)
    .optional()
    .describe('16 to 200 visible ASCII characters (a UUID, say), optionally quoted: a repeat with the same key and comment returns the first receipt with `Idempotent-Replayed: true`; with a different comment it is refused (409 `IDEMPOTENCY_KEY_REUSED`).'),
});

function roundView(round: ConsultationRound, now: Date) {
  const open = round.closedAt === null && now < new Date(round.endsAt);
  return {
    round: round.round,
    status: open ? 'open' : 'closed',
    startsAt: round.startsAt,
    endsAt: round.endsAt,
    workingDaysLeft: open ? Math.max(0, workingDaysLeft(now, new Date(round.endsAt))) : 0,
    // R9: a shortened period shows why; extensions show when and why.
    shortenedReason: round.shortenedReason,
    extensions: round.extensions.map((e) => ({ at: e.at, from: e.from, to: e.to, reason: e.reason })),
    basis: round.basis,
    background: round.background,
    explanation: round.explanation,
    reportPublished: round.report?.publishedAt != null,
  };
}

/** What the public reads of a report: figures, concentrated opinions with answers, the changes. */
function publicReport(report: ReportRecord) {
  const { _id, filingId, ...rest } = report;
  return { reportId: _id, filingId: String(filingId), ...rest };
}

/**
 * The `Idempotency-Key` header of a comment, or null without one: 16 to 200 visible ASCII
 * characters (a UUID, say), optionally quoted as the IETF draft's structured-field string. Keys
 * are global, not per client — a retry may come from another address — so short guessable ones
 * are refused rather than left to collide with someone else's.
 */
function idempotencyKey(req: Request): string | null {
  const header = req.get('Idempotency-Key');
  if (header === undefined) return null;
  const key = /^"(.*)"$/.exec(header)?.[1] ?? header;
  if (!/^[\x21\x23-\x7e]{16,200}$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', { field: 'Idempotency-Key' }, 'Idempotency-Key 须为16至200个可见 ASCII 字符（建议使用 UUID）');
  }
  return key;
}

/**
 * The public side (R8, R11, R16): drafts under consultation, comment intake with receipts,
 * receipt look-up, published adoption reports. Nothing before clearance, nothing unmasked.
 */
export function publicRouter(services: Services, settings: PublicSettings): express.Router {
  const router = express.Router();
  const { comments, store } = services;
  const now = () => new Date();

  router.get('/consultations', async (req, res) => {
    const { page, pageSize } = parse(pageSchema, req.query);
    // A cleared round whose start lies ahead is not public yet.
    const { items, total } = await store.openConsultations(now(), {}, page, pageSize);
    res.json({
      items: items.map((head) => {
        const round = restore(head.snapshot).context.consultations.at(-1) as ConsultationRound;
        return {
          filingId: String(head._id),
          reference: head.reference,
          title: head.title,
          leadDepartment: head.leadDepartment,
          ...roundView(round, now()),
        };
      }),
      total,
      page,
      pageSize,
    });
  });

  router.get('/consultations/:filingId', async (req, res) => {
    const { head, context, rounds } = await comments.published(req.params.filingId, now());
    const round = rounds[rounds.length - 1];
    const counts = await comments.countsByArticle(head._id, round.round);
    const articles = splitArticles(await comments.draftOf(head, round.draftVersion));
    res.json({
      filingId: String(head._id),
      reference: head.reference,
      title: head.title,
      leadDepartment: head.leadDepartment,
      ...roundView(round, now()),
      articles: articles.map((a) => ({ ...a, comments: counts.get(a.number) ?? 0 })),
      commentsOnWholeDraft: counts.get(null) ?? 0,
      // The interpretation of the draft is published with it (R8: 决策草案、依据、说明).
      interpretation: {
        materials: context.interpretation.materials,
        forms: context.interpretation.forms,
        items: context.interpretation.items,
      },
      rounds: rounds.map((r) => r.round),
    });
  });

  router.post('/consultations/:filingId/comments', commentRateLimit(settings.commentsPerMinute), async (req: Request, res) => {
    const key = idempotencyKey(req);
    const input = parse(newCommentSchema, req.body);
    const client = req.ip ?? 'unknown';
    const { receipt, round, replayed } = await comments.submit(String(req.params.filingId), input, client, now(), key === null ? undefined : `api:${key}`);
    // A repeat gets the first answer again, marked as such (as payment APIs do).
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.status(201).json({ receipt, round, message: `意见已提交，回执编号：${receipt}。请妥善保存，可凭回执编号查询处理结果。` });
  });

  router.get('/comments/:receipt', async (req, res) => {
    const receipt = parse(receiptSchema, req.params.receipt);
    res.json(await comments.lookup(receipt));
  });

  const reportOf = async (req: Request): Promise<ReportRecord> => {
    const { context } = await comments.published(String(req.params.filingId), now());
    const roundNumber = parse(publicRoundSchema, req.params.round);
    const round = context.consultations.find((r) => r.round === roundNumber);
    if (!round?.report?.publishedAt) throw new AppError('CONSULTATION_NOT_FOUND');
    const report = await services.repositories.reports.byId(round.report.reportId);
    if (!report) throw new AppError('CONSULTATION_NOT_FOUND');
    // R16: samples as the comments read now, redactions since the report included.
    return withCurrentSamples(services.repositories.comments, report);
  };

  router.get('/reports/:filingId/:round', async (req, res) => {
    res.json(publicReport(await reportOf(req)));
  });

  router.get('/reports/:filingId/:round/csv', async (req, res) => {
    const report = await reportOf(req);
    const name = `adoption-report-${report.round}.csv`;
    res.type('text/csv; charset=utf-8').attachment(name).send(reportCsv(report));
  });

  router.get('/reports/:filingId/:round/html', async (req, res) => {
    const report = await reportOf(req);
    const head = await store.head(report.filingId);
    res.type('html').send(services.reportPages.render(report, head?.title ?? '', head?.reference ?? ''));
  });

  return router;
}

