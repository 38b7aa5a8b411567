import type express from 'express';
import type { Request } from 'express';
import type { Actor } from '../../machines/roles';
import { auditKindLabel } from '../audit/kinds';
import { auditCsvQuerySchema, auditFilter, auditQuerySchema, filtersOf } from '../audit/query';
import type { RecordedAuditEntry } from '../audit/trail';
import type { Services } from '../services';
import { auditReaderOnly, recordRequest, sendAuditCsv } from '../web/audit';
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
    await recordRequest(audit, req, actor, 'auditTrailRead', null, { filters: filtersOf(query), page: query.page });
    const { items, total } = await audit.list(auditFilter(query), query.page, query.pageSize);
    res.json({ items: items.map(withLabel), total, page: query.page, pageSize: query.pageSize });
  });

  app.get('/audit/csv', async (req, res) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    const query = parse(auditCsvQuerySchema, req.query);
    await sendAuditCsv(audit, req, res, actor, auditFilter(query), filtersOf(query));
  });

  app.get('/audit/verify', async (req, res) => {
    const actor = actorOf(req);
    await auditReaderOnly(audit, req, actor);
    parse(auditCsvQuerySchema.pick({}), req.query);
    await recordRequest(audit, req, actor, 'auditTrailRead', null, {});
    res.json(await audit.verify());
  });
}

