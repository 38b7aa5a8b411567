/**
 * The filing statechart and what it is made of, in one import: its context and records
 * (filing/types.ts), stages (filing/stages.ts), guards, updates and effects, and the chart itself
 * (filing/chart.ts). Its events are declared in the registry (events/).
 */
export { filingMachine, FILING_MACHINE_VERSION, type FilingMachine } from './filing/chart';
export { applyInterpretationPatch, completenessInputOf } from './filing/actions';
export { EFFECTS, isEffect, type Effect } from './filing/effects';
export { STAGE_LABELS, STAGES, type Stage } from './filing/stages';
export type * from './filing/types';
export { EVENT_LABELS, type FilingCommand, type FilingEvent, type FilingEventType } from './events';
