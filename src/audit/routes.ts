import type express from 'express';
import type { Request, Response } from 'express';
import type { Actor } from '../../machines/roles';
import { AppError } from '../errors';
import { parse } from '../http/validation';
import type { Services } from '../services';
import { byRequest, mayReadAuditTrail, routeOf } from './access';
import { auditKindLabel } from './kinds';
import { auditCsvFileName, auditCsvHeader, auditCsvRow } from './present';
import { auditCsvQuerySchema, auditFilter, auditQuerySchema, filtersOf } from './query';
import type { AuditTrail, RecordedAuditEntry } from './trail';

/**
 * Refuses the trail to everyone but the security auditor (三员分立), and records the attempt:
 * somebody trying to read the trail is itself worth the auditor's attention.
 */
export async function auditReaderOnly(audit: AuditTrail, req: Request, actor: Actor): Promise<void> {
  if (mayReadAuditTrail(actor)) return;
  await audit.record({ kind: 'auditTrailRead', ...byRequest(req, actor), target: null, detail: { route: routeOf(req) }, outcome: 'failure' });
  throw new AppError('FORBIDDEN_ROLE', { reason: 'securityAuditorOnly' });
}

/** Streams the matching entries as a spreadsheet (UTF-8 with BOM), newest first. */
export async function sendAuditCsv(audit: AuditTrail, res: Response, filter: Parameters<AuditTrail['entries']>[0], now: Date): Promise<void> {
  res.attachment(auditCsvFileName(now)).type('text/csv; charset=utf-8');
  res.write(auditCsvHeader());
  for await (const entry of audit.entries(filter)) {
    if (!res.write(auditCsvRow(entry))) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

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

/**
 * Records what a signed-in member of staff did through a request (which route, what it showed),
 * before the answer goes out.
 */
export function recordRequest(
  audit: AuditTrail,
  req: Request,
  actor: Actor,
  kind: 'personalDataRead' | 'personalDataExported' | 'personalDataRedacted',
  target: { type: string; id: string; label: string } | null,
  detail: Record<string, unknown>,
): Promise<RecordedAuditEntry> {
  return audit.record({ kind, ...byRequest(req, actor), target, detail: { route: routeOf(req), ...detail }, outcome: 'success' });
}
