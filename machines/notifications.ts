import { NOTIFICATION_RULES, type FilingEventType, type MailTemplate, type Notice, type NotificationRule } from './events';
import type { Stage } from './filing/stages';

/**
 * R19: each transition e-mails the people who must act next and the people whose filing it
 * concerns. Whom each event notifies, by the stage it reaches, is declared with the event in the
 * registry (events/); an empty list is an explicit "nobody", and a transition without any rule
 * fails the routing test.
 */
export {
  MAIL_TEMPLATES,
  NOTIFICATION_RULES,
  type Audience,
  type MailTemplate,
  type Notice,
  type NoticeCondition,
  type NotificationRule,
} from './events';

/**
 * R19, R21: the mails that ask their recipient to do something. Each states the time limit of
 * what it asks — a date and the working days left — or, where the stage has none, says so rather
 * than leaving the reader to guess. `true`: always; a list: only after those events (the head's
 * decision on an interpretation asks the drafters to act only when it sends the package back).
 */
export const ASKS_TO_ACT: Record<MailTemplate, boolean | readonly FilingEventType[]> = {
  'filing-arrived': true,
  'filing-returned': true,
  'interpretation-approval-requested': true,
  'interpretation-decided': ['REJECT_INTERPRETATION'],
  'review-due': true,
  'amendment-requested': true,
  'decision-due': true,
  'signing-due': true,
  'publication-due': true,
  'status-update': false,
  'clearance-due': true,
  'report-publication-due': true,
  'deadline-reminder': true,
  'deadline-overdue': true,
  // R1: issued, not published — nobody is asked to publish it.
  'document-issued': false,
};

export function asksToAct(template: MailTemplate, event: FilingEventType): boolean {
  const asks = ASKS_TO_ACT[template];
  return typeof asks === 'boolean' ? asks : asks.includes(event);
}

export function ruleFor(event: FilingEventType, to: Stage): NotificationRule | undefined {
  return NOTIFICATION_RULES.find((rule) => rule.event === event && rule.to === to);
}

/** Does a conditional notice apply in the state reached (given as leaf state paths)? */
export function noticeApplies(notice: Notice, states: readonly string[]): boolean {
  switch (notice.when) {
    case undefined:
      return true;
    case 'legalityReviewPending':
      return states.includes('open.review.legality.pending');
    case 'fairCompetitionReviewPending':
      return states.includes('open.review.fairCompetition.pending');
  }
}

/**
 * R6 and the review limit: who hears before a time limit runs out (reminder) and once it has
 * (alert). Keyed by the stage that carries the limit; `startedBy` is the step that set it.
 */
export const DEADLINE_NOTICES: Partial<Record<Stage, { startedBy: FilingEventType; reminder: Notice[]; overdue: Notice[] }>> = {
  review: {
    startedBy: 'ACCEPT',
    reminder: [
      { template: 'deadline-reminder', to: [{ role: 'legalReviewer' }], when: 'legalityReviewPending' },
      { template: 'deadline-reminder', to: [{ role: 'fairCompetitionReviewer' }], when: 'fairCompetitionReviewPending' },
    ],
    overdue: [
      { template: 'deadline-overdue', to: [{ role: 'legalReviewer' }], when: 'legalityReviewPending' },
      { template: 'deadline-overdue', to: [{ role: 'fairCompetitionReviewer' }], when: 'fairCompetitionReviewPending' },
      // The general office follows up on late reviews.
      { template: 'deadline-overdue', to: [{ role: 'clerk' }] },
    ],
  },
  awaitingPublication: {
    startedBy: 'SIGN',
    reminder: [{ template: 'deadline-reminder', to: [{ role: 'publisher' }] }],
    // Everyone responsible hears that the document and its interpretation are late (R6).
    overdue: [
      { template: 'deadline-overdue', to: [{ role: 'publisher' }, { role: 'clerk' }, { role: 'departmentHead', departments: 'lead' }] },
    ],
  },
};
