import { deadlineStatus, type Deadline } from '../workflow/deadlines';
import { cstDate, endOfCstDay, formatCst, formatCstDay } from '../calendar';
import { DISCLOSURE_ATTRIBUTE_LABELS, FAIR_COMPETITION_CONCLUSION_LABELS } from '../../machines/dossier';
import { EVENT_LABELS, STAGE_LABELS, type FilingContext, type FilingEventType, type ReturnRecord, type Stage } from '../../machines/filing.machine';
import { asksToAct, DEADLINE_NOTICES, noticeApplies, ruleFor, type Audience, type MailTemplate } from '../../machines/notifications';
import { REASONS } from '../../machines/reasons';
import { isDepartmentRole, ROLE_LABELS, type Actor } from '../../machines/roles';
import type { StaffDirectory } from '../auth';
import type { OutboxRecord, StaffRecord } from '../store/records';
import type { MailData, MailTemplates } from './templates';

export interface MailSettings {
  productName: string;
  /** Where links in e-mails point. */
  baseUrl: string;
  /** Right-hand side of Message-IDs. */
  messageIdDomain: string;
}

/** What happened, as the composer needs it: the filing after the step and the step itself. */
export interface Occurrence {
  filing: { id: string; reference: string; title: string; leadDepartment: string; coDepartments: string[] };
  seq: number;
  event: FilingEventType;
  note: string | null;
  stage: Stage;
  states: string[];
  context: FilingContext;
  returned: ReturnRecord | null;
  actor: Actor;
  at: Date;
  /**
   * The time limit the filing runs against after the step, as `currentDeadline` gives it to the
   * filing, its lists and the scheduler: the mails state that one, never a second computation.
   */
  deadline: Deadline | null;
}

/**
 * How a time limit reads in a mail (R21): the day, with the time only where the limit ends before
 * midnight (a comment period), and the working days left — as the lists count them.
 */
export function mailDeadline(deadline: Deadline, at: Date): NonNullable<MailData['deadline']> {
  const status = deadlineStatus(deadline, at);
  const day = cstDate(deadline.due);
  return {
    date: endOfCstDay(day).getTime() === deadline.due.getTime() ? formatCstDay(day) : status.date,
    workingDaysLeft: Math.max(status.workingDaysLeft, 0),
    dueToday: status.dueToday,
    overdue: status.overdue,
    overdueDays: Math.max(-status.workingDaysLeft, 0),
  };
}

const EPOCH = new Date(0);

/**
 * Turns one step of a filing into the e-mails it causes (R19): routing from the rules in
 * machines/notifications.ts, one message per person, rendered now so the outbox holds exactly
 * what will be sent.
 */
export class MailComposer {
  constructor(
    private readonly staff: StaffDirectory,
    private readonly templates: MailTemplates,
    private readonly settings: MailSettings,
  ) {}

  async compose(occurrence: Occurrence): Promise<OutboxRecord[]> {
    const rule = ruleFor(occurrence.event, occurrence.stage);
    if (!rule) throw new Error(`no notification rule for ${occurrence.event} → ${occurrence.stage}`);
    const seen = new Set<string>([occurrence.actor.id]);
    const messages: OutboxRecord[] = [];
    for (const notice of rule.notify.filter((n) => noticeApplies(n, occurrence.states))) {
      for (const audience of notice.to) {
        for (const person of await this.recipients(audience, occurrence)) {
          const staffId = String(person._id);
          // One message per person per step, from the first notice that names them.
          if (seen.has(staffId)) continue;
          seen.add(staffId);
          messages.push(this.message(notice.template, person, occurrence, this.data(person, occurrence, notice.template)));
        }
      }
    }
    return messages;
  }

  /**
   * R6: the reminder before a time limit or the alert after it, for whoever DEADLINE_NOTICES names.
   * Message-IDs name the notice, so a notice is recognisably one message however often it is tried.
   */
  async composeDeadlineNotice(kind: 'reminder' | 'overdue', occurrence: Occurrence & { deadline: Deadline }): Promise<OutboxRecord[]> {
    const { deadline } = occurrence;
    const notices = DEADLINE_NOTICES[occurrence.stage]?.[kind] ?? [];
    const seen = new Set<string>();
    const messages: OutboxRecord[] = [];
    for (const notice of notices.filter((n) => noticeApplies(n, occurrence.states))) {
      for (const audience of notice.to) {
        for (const person of await this.recipients(audience, occurrence)) {
          const staffId = String(person._id);
          if (seen.has(staffId)) continue;
          seen.add(staffId);
          const data: MailData = {
            ...this.data(person, occurrence, notice.template),
            action: { label: `${deadline.label}${deadline.rule ? `（${deadline.rule}）` : ''}`, at: formatCst(occurrence.at), actorName: '系统', actorRole: '系统', actorDepartment: null },
          };
          messages.push({
            ...this.message(notice.template, person, occurrence, data),
            messageId: `<${occurrence.filing.id}.${occurrence.seq}.${kind}.${staffId}@${this.settings.messageIdDomain}>`,
          });
        }
      }
    }
    return messages;
  }

  private recipients(audience: Audience, occurrence: Occurrence): Promise<StaffRecord[]> {
    if (!isDepartmentRole(audience.role)) return this.staff.withRole(audience.role, null);
    const { leadDepartment, coDepartments } = occurrence.filing;
    const departments =
      audience.departments === 'co' ? coDepartments : audience.departments === 'all' ? [leadDepartment, ...coDepartments] : [leadDepartment];
    return this.staff.withRole(audience.role, departments);
  }

  private message(template: MailTemplate, person: StaffRecord, occurrence: Occurrence, data: MailData): OutboxRecord {
    const staffId = String(person._id);
    const messageId = `<${occurrence.filing.id}.${occurrence.seq}.${staffId}@${this.settings.messageIdDomain}>`;
    const rendered = this.templates.render(template, data);
    return {
      messageId,
      seq: occurrence.seq,
      template,
      to: { staffId, name: person.name, email: person.email },
      ...rendered,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: occurrence.at,
      leaseOwner: null,
      leaseUntil: EPOCH,
      lastError: null,
      response: null,
      createdAt: occurrence.at,
      sentAt: null,
    };
  }

  data(person: Pick<StaffRecord, 'name' | 'role'>, occurrence: Occurrence, template: MailTemplate): MailData {
    const { filing, context, actor } = occurrence;
    const deadline = occurrence.deadline ? mailDeadline(occurrence.deadline, occurrence.at) : null;
    return {
      messageRef: `${filing.reference}-${occurrence.seq}`,
      product: { name: this.settings.productName },
      recipient: { name: person.name, roleLabel: ROLE_LABELS[person.role] },
      filing: {
        reference: filing.reference,
        title: filing.title,
        leadDepartment: filing.leadDepartment,
        stageLabel: STAGE_LABELS[occurrence.stage],
        // The console's page of the filing: a person clicking it is asked to sign in first and then
        // lands there (the bearer-token API at /filings/:id would answer a browser with a 401).
        link: `${this.settings.baseUrl.replace(/\/+$/, '')}/console/filings/${filing.id}`,
      },
      action: {
        label: EVENT_LABELS[occurrence.event],
        at: formatCst(occurrence.at),
        actorName: actor.name,
        actorRole: ROLE_LABELS[actor.role],
        actorDepartment: actor.department,
      },
      reasons: (occurrence.returned?.reasons ?? []).map((r) => ({
        code: r.code,
        rule: r.rule,
        label: REASONS[r.code].label,
        field: r.field ?? null,
      })),
      note: occurrence.note,
      deadline,
      // R19: a mail asking for something the product sets no time limit for says so (R21).
      noTimeLimit: deadline === null && asksToAct(template, occurrence.event),
      intake: occurrence.returned?.kind === 'intake',
      approved: occurrence.event === 'APPROVE_INTERPRETATION',
      fairCompetitionReviewed: context.reviews.some((r) => r.review === 'fairCompetition' && r.outcome === 'passed'),
      documentNumber: context.signing?.documentNumber ?? null,
      disclosure: {
        label: context.particulars.disclosure.attribute ? DISCLOSURE_ATTRIBUTE_LABELS[context.particulars.disclosure.attribute] : null,
        reason: context.particulars.disclosure.reason,
      },
      fairCompetition: fairCompetitionOf(context),
    };
  }
}

/** R12: what the reviewers read of the drafting unit's fair competition conclusion. */
function fairCompetitionOf(context: FilingContext): MailData['fairCompetition'] {
  const c = context.particulars.fairCompetition;
  if (c === null) return null;
  return {
    conclusion: FAIR_COMPETITION_CONCLUSION_LABELS[c.conclusion],
    summary: c.summary,
    exception: c.conclusion === 'compliantWithException',
    exceptionGround: c.exceptionGround ?? null,
    exceptionNecessity: c.exceptionNecessity ?? null,
    exceptionEndsOn: c.exceptionEndsOn ? formatCstDay(c.exceptionEndsOn) : null,
  };
}
