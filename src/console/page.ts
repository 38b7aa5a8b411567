import path from 'node:path';
import type { Request, Response } from 'express';
import { canCreateFiling } from '../../machines/permissions';
import { ROLE_LABELS, type Actor } from '../../machines/roles';
import { taskStagesOf } from '../../machines/tasks';
import { confinedToAuditTrail, mayReadAuditTrail } from '../audit/access';
import { confinedToAdministration, mayAdminister } from '../organisation/access';
import { PROJECT_ROOT } from '../config';
import { AppError } from '../errors';
import { mayReadStatistics } from '../statistics';
import { Csrf } from '../web/csrf';
import { PageViews } from '../web/views';

export type Signed = Request & { actor: Actor };

export function actorOf(req: Request): Actor {
  return (req as Signed).actor;
}

/** What the task list is called for a role: the clerk's is the general office inbox. */
export function tasksTitle(actor: Actor): string {
  if (actor.role === 'clerk') return '收文待办';
  if (actor.role === 'legalReviewer' || actor.role === 'fairCompetitionReviewer' || actor.role === 'confidentialityReviewer') return '审查任务';
  if (actor.role === 'publisher') return '待发布';
  return '待办事项';
}

/** Renders console pages in the console layout, with the signed-in user and a CSRF token. */
export class ConsolePages {
  private readonly views = new PageViews(path.join(PROJECT_ROOT, 'templates', 'console'), ['filings', 'tasks', 'new', 'statistics', 'audit', 'admin']);
  private readonly csrf: Csrf;

  constructor(csrfSecret?: string) {
    this.csrf = new Csrf(csrfSecret);
  }

  render(req: Request, res: Response, status: number, name: string, title: string, data: Record<string, unknown>, nav: Record<string, boolean> = {}): void {
    const actor = (req as Partial<Signed>).actor;
    const token = this.csrf.issue(req, res);
    const user = actor
      ? {
          name: actor.name,
          roleLabel: ROLE_LABELS[actor.role],
          department: actor.department,
          canCreate: canCreateFiling(actor),
          hasTasks: taskStagesOf(actor.role).length > 0,
          tasksTitle: tasksTitle(actor),
          canSeeStatistics: mayReadStatistics(actor),
          seesFilings: !confinedToAuditTrail(actor) && !confinedToAdministration(actor),
          canReadAudit: mayReadAuditTrail(actor),
          canAdminister: mayAdminister(actor),
        }
      : null;
    res.status(status).type('html').send(this.views.render(name, title, { ...data, csrf: token }, nav, { user, csrf: token }));
  }

  /** Every console form carries the token; a post without it is refused before anything else. */
  checkForm(req: Request): void {
    if (!this.csrf.verify(req, (req.body as Record<string, unknown> | undefined)?._csrf)) throw new AppError('FORBIDDEN_FORM');
  }
}
