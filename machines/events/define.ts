import { z } from 'zod';
import type { Stage } from '../filing/stages';
import type { RuleId } from '../reasons';
import type { Role } from '../roles';
import type { FormSpec } from './form';
import { NO_FIELDS } from './form';
import { version } from './schema';

/**
 * Scopes of a permission: `member` — any department of a joint filing (lead or co-department,
 * R3: co-departments contribute); `lead` — the lead department only (R3: the lead department
 * interprets and its head signs off); `office` — the general office and city-level roles.
 */
export type Scope = 'member' | 'lead' | 'office';

export interface Permission {
  roles: readonly Role[];
  scope: Scope;
}

/** R19: the mail templates steps and deadlines send (one set of files each in templates/mail/). */
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

/** The parsed payload of a shape; an empty shape is an empty object (zod types it as Record<string, never>). */
export type PayloadOf<S extends z.ZodRawShape> = [keyof S] extends [never] ? Record<never, never> : z.output<z.ZodObject<S>>;

/**
 * Phantom marker for the chart event's payload where it differs from the command: the server
 * completes some commands (a text body becomes its hash; a request, a consultation plan), and
 * some edits reach the chart as domain types (a patch of particulars).
 */
export interface ChartPayload<P> {
  readonly __chart?: P;
}
export const chartTakes = <P>(): ChartPayload<P> => ({});

/**
 * One event, declared once: what a caller sends (its zod schema, from which the request
 * validation, the API contract and the docs derive), who may send it, what it is called, whom it
 * notifies in each stage it can lead to (R19), and the form the console shows for it.
 */
export interface EventSpec<T extends string = string, S extends z.ZodRawShape = z.ZodRawShape, P = unknown> {
  type: T;
  /** What users read in the history, the e-mails and on buttons: Simplified Chinese. */
  label: string;
  /** For the docs and the API contract: what the event does, in English. */
  description: string;
  /** The rules it serves, for the docs. */
  rules: readonly RuleId[];
  who: Permission;
  /** What a caller sends besides `type` and `version`. */
  shape: S;
  /** Cross-field checks of the command (a reason required with one choice, …). */
  refine?: (schema: z.ZodObject) => z.ZodObject;
  /** Set when the chart event differs from the command (the server completes it). */
  chart?: ChartPayload<P>;
  /** R19: by stage reached; an empty list is an explicit "nobody". */
  notify: Partial<Record<Stage, Notice[]>>;
  /** Whether the event is somebody's task when the chart allows it (false: always possible). */
  task: boolean;
  form: FormSpec;
  /** Type-level only: the payload the chart receives (the command's unless `chart` says otherwise). */
  readonly chartPayload: P;
}

type Input<T extends string, S extends z.ZodRawShape, P> = Omit<EventSpec<T, S, P>, 'type' | 'task' | 'form' | 'rules' | 'chartPayload'> &
  Partial<Pick<EventSpec<T, S, P>, 'task' | 'form' | 'rules'>>;

export function defineEvent<const T extends string, S extends z.ZodRawShape, P = PayloadOf<S>>(
  type: T,
  spec: Input<T, S, P>,
): EventSpec<T, S, P> {
  return { type, task: true, form: NO_FIELDS, rules: [], ...spec, chartPayload: undefined as P };
}

/** The full request schema of an event: its shape with `type` and `version`, strictly. */
export function commandSchemaOf<const T extends string, S extends z.ZodRawShape>(spec: EventSpec<T, S, unknown>) {
  const schema = z.strictObject({ type: z.literal(spec.type), version, ...spec.shape });
  return (spec.refine ? spec.refine(schema as unknown as z.ZodObject) : schema) as typeof schema;
}

/* Audiences used by many rules. */
export const leadDepartment: Audience[] = [
  { role: 'drafter', departments: 'lead' },
  { role: 'departmentHead', departments: 'lead' },
];
export const everyDepartment: Audience[] = [
  { role: 'drafter', departments: 'all' },
  { role: 'departmentHead', departments: 'all' },
];
export const nobody: Notice[] = [];
/** A status update for those whose filing it is. */
export const concerned = (to: Audience[] = leadDepartment): Notice => ({ template: 'status-update', to });
export const ask = (template: MailTemplate, ...roles: Role[]): Notice => ({ template, to: roles.map((role) => ({ role })) });
