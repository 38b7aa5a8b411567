import type express from 'express';
import type { Request, Response } from 'express';
import { AUDIT_KINDS, AUDIT_KIND_LABELS, AUDIT_OUTCOME_LABELS } from '../audit/kinds';
import { presentEntry } from '../audit/present';
import { auditFilter, auditPageQuerySchema, filtersOf, type AuditFilterInput } from '../audit/query';
import { auditReaderOnly, recordRequest, sendAuditCsv } from '../web/audit';
import type { Services } from '../services';
import { actorOf, type ConsolePages } from './page';

const PAGE_SIZE = 50;

function search(filters: AuditFilterInput, page?: number): string {
  const params = new URLSearchParams(filtersOf(filters));
  if (page !== undefined && page > 1) params.set('page', String(page));
  return params.toString();
}

/**
 * The security auditor's pages: the trail newest first, filtered by kind, person, days and
 * outcome, with the verdict on its chain at the top, and the same as a spreadsheet. Reading and
 * exporting are recorded on the trail itself; everyone else is refused, and recorded too.
 */
export function auditRoutes(router: express.Router, services: Services, pages: ConsolePages): void {
  const { audit } = services;

  router.get('/console/audit', async (req: Request, res: Response) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    const query = auditPageQuerySchema.parse(req.query);
    await recordRequest(audit, req, actor, 'auditTrailRead', null, { filters: filtersOf(query), page: query.page });
    const [{ items, total }, verification] = await Promise.all([audit.list(auditFilter(query), query.page, PAGE_SIZE), audit.verify()]);
    const link = (page: number) => {
      const s = search(query, page);
      return s ? `/console/audit?${s}` : '/console/audit';
    };
    const csv = search(query);
    pages.render(req, res, 200, 'audit', '安全审计日志', {
      verification,
      filters: { person: query.person ?? '', from: query.from ?? '', to: query.to ?? '' },
      kinds: AUDIT_KINDS.map((value) => ({ value, label: AUDIT_KIND_LABELS[value], selected: value === query.kind })),
      outcomes: (['success', 'failure'] as const).map((value) => ({ value, label: AUDIT_OUTCOME_LABELS[value], selected: value === query.outcome })),
      items: items.map(presentEntry),
      csvHref: csv ? `/console/audit.csv?${csv}` : '/console/audit.csv',
      pager: {
        pages: Math.ceil(total / PAGE_SIZE),
        page: query.page,
        total,
        prev: query.page > 1 ? link(query.page - 1) : null,
        next: query.page * PAGE_SIZE < total ? link(query.page + 1) : null,
      },
    }, { audit: true });
  });

  // The same spreadsheet as GET /audit/csv, for the console's cookie session.
  router.get('/console/audit.csv', async (req: Request, res: Response) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    const query = auditPageQuerySchema.parse(req.query);
    await sendAuditCsv(audit, req, res, actor, auditFilter(query), filtersOf(query));
  });
}
