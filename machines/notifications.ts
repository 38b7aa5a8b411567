import type { FilingEventType, Stage } from './filing.machine';
import type { Role } from './roles';

/**
 * R19: each transition e-mails the people who must act next and the people whose filing it
 * concerns. The routing is data: one rule per (event, stage reached). An empty `notify` is an
 * explicit "nobody"; a transition without any rule fails the routing test.
 */
export const MAIL_TEMPLATES = [
  'filing-arrived',
  'filing-returned',
  'interpretation-approval-requested',
  'interpretation-decided',
  'review-due',
  'amendment-requested',
  'decision-due',
  'signing-due',
  'publication-due',
  'status-update',
  'clearance-due',
  'report-publication-due',
  'deadline-reminder',
  'deadline-overdue',
  'document-issued',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/**
 * Who receives a notice: staff of a role; for department roles, of the filing's lead
 * department, its co-departments, or both.
 */
export interface Audience {
  role: Role;
  departments?: 'lead' | 'co' | 'all';
}

/** Conditions on the state reached, for recipients that are only sometimes concerned. */
export type NoticeCondition = 'fairCompetitionReviewPending' | 'legalityReviewPending';

export interface Notice {
  template: MailTemplate;
  to: Audience[];
  when?: NoticeCondition;
}

export interface NotificationRule {
  event: FilingEventType;
  to: Stage;
  notify: Notice[];
}

const leadDepartment: Audience[] = [
  { role: 'drafter', departments: 'lead' },
  { role: 'departmentHead', departments: 'lead' },
];
const everyDepartment: Audience[] = [
  { role: 'drafter', departments: 'all' },
  { role: 'departmentHead', departments: 'all' },
];
const nobody: Notice[] = [];
const concerned = (to: Audience[] = leadDepartment): Notice => ({ template: 'status-update', to });

export const NOTIFICATION_RULES: NotificationRule[] = [
  // Work inside the drafting department: only the approval loop needs anybody's attention.
  { event: 'EDIT_TEXT', to: 'drafting', notify: nobody },
  { event: 'FINALIZE_TEXT', to: 'drafting', notify: nobody },
  { event: 'REOPEN_TEXT', to: 'drafting', notify: nobody },
  { event: 'EDIT_INTERPRETATION', to: 'drafting', notify: nobody },
  { event: 'EDIT_PARTICULARS', to: 'drafting', notify: nobody },
  { event: 'REOPEN_INTERPRETATION', to: 'drafting', notify: nobody },
  {
    event: 'REQUEST_INTERPRETATION_APPROVAL',
    to: 'drafting',
    notify: [{ template: 'interpretation-approval-requested', to: [{ role: 'departmentHead', departments: 'lead' }] }],
  },
  {
    event: 'APPROVE_INTERPRETATION',
    to: 'drafting',
    notify: [{ template: 'interpretation-decided', to: [{ role: 'drafter', departments: 'all' }] }],
  },
  {
    event: 'REJECT_INTERPRETATION',
    to: 'drafting',
    notify: [{ template: 'interpretation-decided', to: [{ role: 'drafter', departments: 'all' }] }],
  },
  // Public consultation (R8–R11, R15).
  {
    event: 'START_CONSULTATION',
    to: 'awaitingClearance',
    notify: [{ template: 'clearance-due', to: [{ role: 'confidentialityReviewer' }] }],
  },
  { event: 'CLEAR_FOR_PUBLICATION', to: 'consultation', notify: [concerned(everyDepartment)] },
  { event: 'REFUSE_CLEARANCE', to: 'drafting', notify: [concerned(everyDepartment)] },
  { event: 'EXTEND_CONSULTATION', to: 'consultation', notify: [concerned(everyDepartment)] },
  { event: 'CLOSE_CONSULTATION', to: 'disposition', notify: [concerned(everyDepartment)] },
  { event: 'EDIT_TEXT', to: 'disposition', notify: nobody },
  {
    event: 'FINALIZE_ADOPTION_REPORT',
    to: 'adoptionReportReview',
    notify: [{ template: 'report-publication-due', to: [{ role: 'publisher' }] }],
  },
  { event: 'RETURN_ADOPTION_REPORT', to: 'disposition', notify: [concerned()] },
  { event: 'PUBLISH_ADOPTION_REPORT', to: 'drafting', notify: [concerned(everyDepartment)] },
  // Filing: the general office must act; a refusal at intake goes back with its reasons (R18).
  {
    event: 'SUBMIT',
    to: 'awaitingIntake',
    notify: [{ template: 'filing-arrived', to: [{ role: 'clerk' }] }, concerned(everyDepartment)],
  },
  { event: 'SUBMIT', to: 'returned', notify: [{ template: 'filing-returned', to: leadDepartment }] },
  { event: 'RETURN', to: 'returned', notify: [{ template: 'filing-returned', to: everyDepartment }] },
  { event: 'REVISE', to: 'drafting', notify: nobody },
  // Reviews (R12, R13): each reviewer learns that their review is due.
  {
    event: 'ACCEPT',
    to: 'review',
    notify: [
      { template: 'review-due', to: [{ role: 'legalReviewer' }], when: 'legalityReviewPending' },
      { template: 'review-due', to: [{ role: 'fairCompetitionReviewer' }], when: 'fairCompetitionReviewPending' },
      concerned(everyDepartment),
    ],
  },
  // A review that finishes while the other is still running changes nothing for anyone else.
  { event: 'PASS_LEGALITY_REVIEW', to: 'review', notify: nobody },
  { event: 'PASS_FAIR_COMPETITION_REVIEW', to: 'review', notify: nobody },
  {
    event: 'PASS_LEGALITY_REVIEW',
    to: 'awaitingDecision',
    notify: [{ template: 'decision-due', to: [{ role: 'meetingSecretary' }] }, concerned()],
  },
  {
    event: 'PASS_FAIR_COMPETITION_REVIEW',
    to: 'awaitingDecision',
    notify: [{ template: 'decision-due', to: [{ role: 'meetingSecretary' }] }, concerned()],
  },
  { event: 'FAIL_LEGALITY_REVIEW', to: 'amendmentRequested', notify: [{ template: 'amendment-requested', to: everyDepartment }] },
  {
    event: 'FAIL_FAIR_COMPETITION_REVIEW',
    to: 'amendmentRequested',
    notify: [{ template: 'amendment-requested', to: everyDepartment }],
  },
  // The collective decision.
  {
    event: 'ADOPT',
    to: 'signing',
    notify: [{ template: 'signing-due', to: [{ role: 'signer' }] }, concerned(everyDepartment)],
  },
  {
    event: 'SEND_BACK_FOR_AMENDMENT',
    to: 'amendmentRequested',
    notify: [{ template: 'amendment-requested', to: everyDepartment }],
  },
  { event: 'REJECT', to: 'rejected', notify: [concerned(everyDepartment)] },
  { event: 'DEFER', to: 'deferred', notify: [concerned()] },
  { event: 'RESCHEDULE', to: 'awaitingDecision', notify: [{ template: 'decision-due', to: [{ role: 'meetingSecretary' }] }] },
  // Signing and publication (R6: the publisher sees the deadline).
  {
    event: 'SIGN',
    to: 'awaitingPublication',
    notify: [{ template: 'publication-due', to: [{ role: 'publisher' }] }, concerned(everyDepartment)],
  },
  // R1: not proactively public, so issued and not published: the departments that drafted it
  // learn so; nobody is asked to publish.
  { event: 'SIGN', to: 'issued', notify: [{ template: 'document-issued', to: everyDepartment }] },
  { event: 'PUBLISH', to: 'published', notify: [concerned(everyDepartment)] },
  // R7, R17: what happens to a published document concerns every department that drafted it.
  { event: 'ADD_FOLLOW_UP', to: 'published', notify: [concerned(everyDepartment)] },
  { event: 'AMEND', to: 'published', notify: [concerned(everyDepartment)] },
  { event: 'REPEAL', to: 'published', notify: [concerned(everyDepartment)] },
  { event: 'SET_EXPIRY', to: 'published', notify: [concerned(everyDepartment)] },
  { event: 'VALIDITY_CHANGED', to: 'published', notify: [concerned(everyDepartment)] },
  { event: 'WITHDRAW', to: 'withdrawn', notify: [concerned(everyDepartment)] },
];

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
