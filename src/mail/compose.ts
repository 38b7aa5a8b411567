import { publicationDue, type DeadlineSettings, type DeadlineStatus } from '../workflow/deadlines';
import { cstDate, formatCst, formatCstDay, workingDaysLeft } from '../calendar';
import { DISCLOSURE_ATTRIBUTE_LABELS, FAIR_COMPETITION_CONCLUSION_LABELS } from '../../machines/dossier';
import { EVENT_LABELS, STAGE_LABELS, type FilingContext, type FilingEventType, type ReturnRecord, type Stage } from '../../machines/filing.machine';
import { DEADLINE_NOTICES, noticeApplies, ruleFor, type Audience, type MailTemplate } from '../../machines/notifications';
import { REASONS } from '../../machines/reasons';
import { isDepartmentRole, ROLE_LABELS, type Actor } from '../../machines/roles';
import type { StaffDirectory } from '../auth';
import type { OutboxRecord, StaffRecord } from '../store/models';
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
    private readonly deadlines: DeadlineSettings,
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
          messages.push(this.message(notice.template, person, occurrence));
        }
      }
    }
    return messages;
  }

  /**
   * R6: the reminder before a time limit or the alert after it, for whoever DEADLINE_NOTICES names.
   * Message-IDs name the notice, so a notice is recognisably one message however often it is tried.
   */
  async composeDeadlineNotice(kind: 'reminder' | 'overdue', occurrence: Occurrence, deadline: DeadlineStatus): Promise<OutboxRecord[]> {
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
            ...this.data(person, occurrence),
            action: { label: `${deadline.label}${deadline.rule ? `（${deadline.rule}）` : ''}`, at: formatCst(occurrence.at), actorName: '系统', actorRole: '系统', actorDepartment: null },
            deadline: {
              date: deadline.date,
              workingDaysLeft: Math.max(deadline.workingDaysLeft, 0),
              dueToday: deadline.dueToday,
              overdue: deadline.overdue,
              overdueDays: Math.max(-deadline.workingDaysLeft, 0),
            },
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

  private message(template: MailTemplate, person: StaffRecord, occurrence: Occurrence, data = this.data(person, occurrence)): OutboxRecord {
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

  data(person: Pick<StaffRecord, 'name' | 'role'>, occurrence: Occurrence): MailData {
    const { filing, context, actor } = occurrence;
    return {
      messageRef: `${filing.reference}-${occurrence.seq}`,
      product: { name: this.settings.productName },
      recipient: { name: person.name, roleLabel: ROLE_LABELS[person.role] },
      filing: {
        reference: filing.reference,
        title: filing.title,
        leadDepartment: filing.leadDepartment,
        stageLabel: STAGE_LABELS[occurrence.stage],
        link: `${this.settings.baseUrl.replace(/\/+$/, '')}/filings/${filing.id}`,
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
      deadline: this.deadline(occurrence),
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

  /** R6: the publisher's deadline, counted in working days from signing (R21). */
  private deadline(occurrence: Occurrence): MailData['deadline'] {
    const signing = occurrence.context.signing;
    if (occurrence.stage !== 'awaitingPublication' || signing === null) return null;
    const due = publicationDue(new Date(signing.at), occurrence.context.particulars.documentKind, this.deadlines);
    const left = workingDaysLeft(occurrence.at, due);
    return {
      date: formatCstDay(cstDate(due)),
      workingDaysLeft: Math.max(left, 0),
      dueToday: left === 0,
      overdue: left < 0,
      overdueDays: Math.max(-left, 0),
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
