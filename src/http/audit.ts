import type express from 'express';
import type { Request } from 'express';
import type { Actor } from '../../machines/roles';
import { byRequest, routeOf } from '../audit/access';
import { auditKindLabel } from '../audit/kinds';
import { auditCsvQuerySchema, auditFilter, auditQuerySchema, filtersOf } from '../audit/query';
import type { RecordedAuditEntry } from '../audit/trail';
import type { Services } from '../services';
import { auditReaderOnly, sendAuditCsv } from '../web/audit';
import { parse } from '../web/validation';

function withLabel(entry: RecordedAuditEntry) {
  return { ...entry, label: auditKindLabel(entry.kind) };
}

/** The API's side of the trail: `GET /audit`, `GET /audit/csv`, `GET /audit/verify` (security auditor). */
export function auditApiRoutes(app: express.Express, services: Services, actorOf: (req: Request) => Actor): void {
  const { audit } = services;

  app.get('/audit', async (req, res) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    const query = parse(auditQuerySchema, req.query);
    await audit.record({ kind: 'auditTrailRead', ...byRequest(req, actor), target: null, detail: { route: routeOf(req), filters: filtersOf(query), page: query.page }, outcome: 'success' });
    const { items, total } = await audit.list(auditFilter(query), query.page, query.pageSize);
    res.json({ items: items.map(withLabel), total, page: query.page, pageSize: query.pageSize });
  });

  app.get('/audit/csv', async (req, res) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    const query = parse(auditCsvQuerySchema, req.query);
    const now = new Date();
    await audit.record({ kind: 'auditTrailExported', ...byRequest(req, actor, now), target: null, detail: { route: routeOf(req), filters: filtersOf(query) }, outcome: 'success' });
    await sendAuditCsv(audit, res, auditFilter(query), now);
  });

  app.get('/audit/verify', async (req, res) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    parse(auditCsvQuerySchema.pick({}), req.query);
    await audit.record({ kind: 'auditTrailRead', ...byRequest(req, actor), target: null, detail: { route: routeOf(req) }, outcome: 'success' });
    res.json(await audit.verify());
  });
}

