import type { Request } from 'express';
import type { Actor } from '../../machines/roles';
import type { AuditActor } from './trail';

/**
 * 三员分立: only the security auditor reads the security audit trail — not the administrator
 * whose changes it records, not the staff whose sign-ins it records.
 */
export function mayReadAuditTrail(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'securityAuditor';
}

/**
 * The security auditor reads the trail and changes nothing: every other route is closed to them,
 * and they see no filing content.
 */
export function confinedToAuditTrail(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'securityAuditor';
}

/** A member of staff as the trail keeps them. */
export function auditActor(actor: Actor): AuditActor {
  return { id: actor.id, name: actor.name, role: actor.role };
}

/** Where a request came from: the peer's address (behind a proxy, set Express's `trust proxy`). */
export function requestIp(req: Request): string | null {
  return req.ip ?? req.socket.remoteAddress ?? null;
}

/** The route as registered, e.g. `GET /filings/:id/comments`: what the auditor reads as "which route". */
export function routeOf(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return `${req.method} ${typeof route === 'string' ? route : req.path}`;
}

/** The who, when and from where of an entry recorded while answering a request. */
export function byRequest(req: Request, actor: Actor | null, at: Date = new Date()): { actor: AuditActor | null; ip: string | null; at: Date } {
  return { actor: actor ? auditActor(actor) : null, ip: requestIp(req), at };
}

/** Paths the security auditor may reach, besides their own identity (`/me`, the console's sign-out). */
export function isAuditPath(path: string): boolean {
  return /^\/audit(\/|$)/.test(path) || /^\/console\/audit(\/|\.csv$|$)/.test(path);
}
