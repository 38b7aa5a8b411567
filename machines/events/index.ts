import type { z } from 'zod';
import type { Stage } from '../filing/stages';
import type { Actor } from '../roles';
import { CONSULTATION } from './consultation';
import { DECISION } from './decision';
import { commandSchemaOf, type EventSpec, type Notice, type PayloadOf, type Permission } from './define';
import { DRAFTING } from './drafting';
import { INTAKE } from './intake';
import { PUBLICATION } from './publication';
import { REVIEW } from './review';

/**
 * The registry of filing events: each declared once, in the file of its part of the lifecycle.
 * Everything else about events — the event union the chart takes, the permissions table, the
 * request schemas, /meta, the console forms, the docs and the API contract — is read from here.
 * Adding an event: its entry in one of these files, its transition in the chart, its templates.
 */
export const EVENTS = { ...DRAFTING, ...CONSULTATION, ...INTAKE, ...REVIEW, ...DECISION, ...PUBLICATION };

type Registry = typeof EVENTS;
export type FilingEventType = keyof Registry;

/** The declaration order of the lifecycle, for docs and lists (object keys keep it). */
export const FILING_EVENT_TYPES = Object.keys(EVENTS) as FilingEventType[];

export function eventSpec(type: FilingEventType): EventSpec<FilingEventType, z.ZodRawShape, unknown> {
  return EVENTS[type] as unknown as EventSpec<FilingEventType, z.ZodRawShape, unknown>;
}

/** The stamp the server puts on every event it hands the chart. */
export interface EventStamp {
  at: string;
  actor: Actor;
}

/** What a caller sends for an event, without `type` and `version`. */
type CommandPayload<K extends FilingEventType> = PayloadOf<Registry[K]['shape']>;

/** Every event the chart understands: its command, or what the registry says the chart takes instead; `at` and `actor` are stamped by the server. */
export type FilingEvent = { [K in FilingEventType]: { type: K } & Registry[K]['chartPayload'] & EventStamp }[FilingEventType];

/** What a caller sends: an event's payload plus the version it was read at. */
export type FilingCommand = { [K in FilingEventType]: { type: K; version: number } & CommandPayload<K> }[FilingEventType];

/** What each event means, in the words users read in the history and in e-mails. */
export const EVENT_LABELS = Object.fromEntries(FILING_EVENT_TYPES.map((t) => [t, EVENTS[t].label])) as Record<FilingEventType, string>;

/** Who may send which event (see permissions.ts for how it is applied). */
export const EVENT_PERMISSIONS = Object.fromEntries(FILING_EVENT_TYPES.map((t) => [t, EVENTS[t].who])) as Record<FilingEventType, Permission>;

/** The request schema of every event, one per type. */
export const COMMAND_SCHEMAS = Object.fromEntries(FILING_EVENT_TYPES.map((t) => [t, commandSchemaOf(eventSpec(t))])) as unknown as {
  [K in FilingEventType]: z.ZodObject;
};

export interface NotificationRule {
  event: FilingEventType;
  to: Stage;
  notify: Notice[];
}

/** R19: one rule per (event, stage reached), read from the registry. */
export const NOTIFICATION_RULES: NotificationRule[] = FILING_EVENT_TYPES.flatMap((event) =>
  (Object.entries(EVENTS[event].notify) as Array<[Stage, Notice[]]>).map(([to, notify]) => ({ event, to, notify })),
);

export { MAIL_TEMPLATES, type Audience, type MailTemplate, type Notice, type NoticeCondition, type Permission, type Scope } from './define';
export type { Field, FormContext, FormValues } from './form';
