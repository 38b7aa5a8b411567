import { stateIn } from 'xstate';
import { checkCompleteness } from '../completeness';
import { isProactivelyPublic, requiresFairCompetitionReview } from '../dossier';
import type { FilingEvent } from '../events';
import { cstDay, hasLapsed, validityChangeDue } from '../validity';
import { completenessInputOf } from './actions';
import type { FilingContext } from './types';

type Guard = (args: { context: FilingContext; event: FilingEvent }) => boolean;

/** The conditions the chart's transitions depend on, named after the rules they apply. */
export const GUARDS = {
  /** The text must be finalised (定稿) before the head signs the filing off. */
  textFinalized: stateIn('#filing.open.drafting.text.finalized'),
  /** R1/R2/R4/R8/R10/R11/R12/R14: the completeness check, run at intake. */
  filingComplete: (({ context }) => checkCompleteness(completenessInputOf(context)).length === 0) as Guard,
  /** R2: the principal head has approved the interpretation package. */
  interpretationApproved: (({ context }) => context.interpretationApproval !== null) as Guard,
  /** R1: only a proactively public document goes on to publication; the others are issued. */
  proactivelyPublic: (({ context }) => isProactivelyPublic(context.particulars)) as Guard,
  /** R12: the filing touches market entities and needs a fair competition review. */
  fairCompetitionReviewRequired: (({ context }) => requiresFairCompetitionReview(context.particulars)) as Guard,
  /** R17: a repealed or expired document is marked no further and interpreted no further. */
  stillValid: (({ context, event }) => context.validity !== null && !hasLapsed(context.validity, cstDay(event.at))) as Guard,
  /** R17: the status on this day differs from the last one recorded. */
  validityChangeDue: (({ context, event }) => validityChangeDue(context.validity, cstDay(event.at))) as Guard,
};
