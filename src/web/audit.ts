import type { Request, Response } from 'express';
import type { Actor } from '../../machines/roles';
import { AppError } from '../errors';
import { byRequest, mayReadAuditTrail, routeOf } from '../audit/access';
import { auditCsvFileName, auditCsvHeader, auditCsvRow } from '../audit/present';
import type { AuditTrail, RecordedAuditEntry } from '../audit/trail';

/**
 * Refuses the trail to everyone but the security auditor (三员分立), and records the attempt:
 * somebody trying to read the trail is itself worth the auditor's attention.
 */
export async function auditReaderOnly(audit: AuditTrail, req: Request, actor: Actor): Promise<void> {
  if (mayReadAuditTrail(actor)) return;
  await audit.record({ kind: 'auditTrailRead', ...byRequest(req, actor), target: null, detail: { route: routeOf(req) }, outcome: 'failure' });
  throw new AppError('FORBIDDEN_ROLE', { reason: 'securityAuditorOnly' });
}

/**
 * Records the export (who, which filters), then streams the matching entries as a spreadsheet
 * (UTF-8 with BOM), newest first; the file is named by the day of the record.
 */
export async function sendAuditCsv(
  audit: AuditTrail,
  req: Request,
  res: Response,
  actor: Actor,
  filter: Parameters<AuditTrail['entries']>[0],
  filters: Record<string, unknown>,
): Promise<void> {
  const now = new Date();
  await audit.record({ kind: 'auditTrailExported', ...byRequest(req, actor, now), target: null, detail: { route: routeOf(req), filters }, outcome: 'success' });
  res.attachment(auditCsvFileName(now)).type('text/csv; charset=utf-8');
  res.write(auditCsvHeader());
  for await (const entry of audit.entries(filter)) {
    if (!res.write(auditCsvRow(entry))) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/**
 * Records what a signed-in member of staff did through a request (which route, what it showed),
 * before the answer goes out: a read of personal data, or of the trail itself.
 */
export function recordRequest(
  audit: AuditTrail,
  req: Request,
  actor: Actor,
  kind: 'personalDataRead' | 'personalDataExported' | 'personalDataRedacted' | 'auditTrailRead',
  target: { type: string; id: string; label: string } | null,
  detail: Record<string, unknown>,
): Promise<RecordedAuditEntry> {
  return audit.record({ kind, ...byRequest(req, actor), target, detail: { route: routeOf(req), ...detail }, outcome: 'success' });
}
