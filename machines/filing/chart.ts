import { and, assign, setup } from 'xstate';
import { emptyInterpretation, withParticularDefaults } from '../dossier';
import type { EventStamp, FilingEvent } from '../events';
import { UPDATES } from './actions';
import { EFFECT_ACTIONS } from './effects';
import { GUARDS } from './guards';
import type { FilingContext, FilingInput } from './types';

/**
 * Bumped whenever a change to this chart could make a stored snapshot mean something else
 * (renamed or removed states, reshaped context). `migrations.ts` lifts older snapshots.
 */
export const FILING_MACHINE_VERSION = 6;

type Updates = typeof UPDATES;
const ASSIGNS = Object.fromEntries(Object.entries(UPDATES).map(([name, update]) => [name, assign(update as never)])) as {
  [K in keyof Updates]: ReturnType<typeof assign<FilingContext, FilingEvent, undefined, FilingEvent, never>>;
};

/**
 * Back to drafting after a consultation or a return. An approved interpretation stays approved:
 * a return about, say, the disclosure attribute must not make the head approve an unchanged
 * package again.
 */
function backToDrafting(action?: 'recordClearanceRefusal' | 'publishAdoptionReport') {
  const actions = [...(action ? [action] : []), 'announce' as const];
  return [
    { guard: { type: 'interpretationApproved' as const }, target: '#filing.open.drafting.interpretation.approved', actions },
    { target: '#filing.open.drafting', actions },
  ];
}

/**
 * The filing's lifecycle. Each transition names what it records (the updates in actions.ts) and
 * what it causes (the effects in effects.ts: `announce` on every step people take).
 */
export const filingMachine = setup({
  types: {
    context: {} as FilingContext,
    events: {} as FilingEvent,
    input: {} as FilingInput & EventStamp,
  },
  guards: GUARDS,
  actions: { ...ASSIGNS, ...EFFECT_ACTIONS },
}).createMachine({
  id: 'filing',
  context: ({ input }) => ({
    text: { version: 1, title: input.title, sha256: input.textSha256, length: input.textLength },
    particulars: withParticularDefaults(input.particulars),
    interpretation: input.interpretation ?? emptyInterpretation(),
    interpretationApproval: null,
    interpretationRejection: null,
    consultations: [],
    submissions: 0,
    returns: [],
    reviews: [],
    decisions: [],
    signing: null,
    publication: null,
    withdrawal: null,
    followUps: [],
    validity: null,
  }),
  initial: 'open',
  states: {
    /** Everything before signing: the drafting department may still withdraw. */
    open: {
      initial: 'drafting',
      on: {
        WITHDRAW: { target: '#filing.withdrawn', actions: ['recordWithdrawal', 'announce'] },
      },
      states: {
        /** R2 三同步: the text and its interpretation are drafted side by side. */
        drafting: {
          type: 'parallel',
          meta: { stage: 'drafting' },
          on: {
            EDIT_PARTICULARS: { actions: ['amendParticulars', 'announce'] },
            START_CONSULTATION: { target: 'consultation', actions: ['requestConsultation', 'announce'] },
            /** Sign-off by the head files it; the completeness check decides at once (R18). */
            SUBMIT: [
              {
                guard: and(['textFinalized', 'filingComplete']),
                target: 'awaitingIntake',
                actions: ['countSubmission', 'announce'],
              },
              {
                guard: 'textFinalized',
                target: 'sentBack.returned',
                actions: ['countSubmission', 'recordIntakeReturn', 'announce', 'refuseAtIntake'],
              },
            ],
          },
          states: {
            text: {
              initial: 'drafting',
              states: {
                drafting: {
                  on: {
                    EDIT_TEXT: { actions: ['recordTextVersion', 'announce', 'keepTextVersion'] },
                    FINALIZE_TEXT: { target: 'finalized', actions: 'announce' },
                  },
                },
                finalized: {
                  on: { REOPEN_TEXT: { target: 'drafting', actions: 'announce' } },
                },
              },
            },
            interpretation: {
              initial: 'drafting',
              states: {
                drafting: {
                  on: {
                    EDIT_INTERPRETATION: { actions: ['amendInterpretation', 'announce'] },
                    REQUEST_INTERPRETATION_APPROVAL: { target: 'awaitingApproval', actions: 'announce' },
                  },
                },
                /** R2/R3: the lead department's principal head is the first interpreter. */
                awaitingApproval: {
                  on: {
                    APPROVE_INTERPRETATION: { target: 'approved', actions: ['recordInterpretationApproval', 'announce'] },
                    REJECT_INTERPRETATION: { target: 'drafting', actions: ['recordInterpretationRejection', 'announce'] },
                  },
                },
                approved: {
                  on: {
                    REOPEN_INTERPRETATION: { target: 'drafting', actions: ['clearInterpretationApproval', 'announce'] },
                  },
                },
              },
            },
          },
        },
        /** R8–R11: public consultation on the draft, from clearance to the published report. */
        consultation: {
          initial: 'awaitingClearance',
          states: {
            /** R15: 先审查、后公开. */
            awaitingClearance: {
              meta: { stage: 'awaitingClearance' },
              on: {
                CLEAR_FOR_PUBLICATION: { target: 'open', actions: ['recordClearance', 'announce'] },
                REFUSE_CLEARANCE: backToDrafting('recordClearanceRefusal'),
              },
            },
            open: {
              meta: { stage: 'consultation' },
              on: {
                EXTEND_CONSULTATION: { actions: ['extendConsultation', 'announce'] },
                // Sent by the scheduler at the end instant, never by a person (R9).
                CLOSE_CONSULTATION: { target: 'disposition', actions: ['closeConsultation', 'announce'] },
              },
            },
            /** R11: every comment gets a disposition; the report is generated from them. */
            disposition: {
              meta: { stage: 'disposition' },
              on: {
                // The text is revised in the light of the comments while they are answered; the
                // report shows the changes from the consulted draft.
                EDIT_TEXT: { actions: ['recordTextVersion', 'announce', 'keepTextVersion'] },
                FINALIZE_ADOPTION_REPORT: { target: 'reportReview', actions: ['recordAdoptionReport', 'announce'] },
              },
            },
            reportReview: {
              meta: { stage: 'adoptionReportReview' },
              on: {
                RETURN_ADOPTION_REPORT: { target: 'disposition', actions: ['discardAdoptionReport', 'announce'] },
                PUBLISH_ADOPTION_REPORT: backToDrafting('publishAdoptionReport'),
              },
            },
          },
        },
        /** Back with the drafting department: returned at intake, or sent back after review. */
        sentBack: {
          initial: 'returned',
          on: {
            // An approved interpretation stays approved: a return about, say, the disclosure
            // attribute must not make the head approve an unchanged package again.
            REVISE: backToDrafting(),
          },
          states: {
            /** 退文 (R18). */
            returned: { meta: { stage: 'returned' } },
            /** Legality or fair competition review failed, or the meeting asked for changes. */
            amendmentRequested: { meta: { stage: 'amendmentRequested' } },
          },
        },
        /** The general office's inbox. */
        awaitingIntake: {
          meta: { stage: 'awaitingIntake' },
          on: {
            ACCEPT: [
              { guard: { type: 'fairCompetitionReviewRequired' }, target: 'review', actions: 'announce' },
              {
                target: ['review.legality.pending', 'review.fairCompetition.notRequired'],
                actions: 'announce',
              },
            ],
            RETURN: { target: 'sentBack.returned', actions: ['recordClerkReturn', 'announce'] },
          },
        },
        /** R13: legality review comes before the collective decision; R12 runs beside it. */
        review: {
          type: 'parallel',
          meta: { stage: 'review' },
          onDone: { target: 'decision' },
          states: {
            legality: {
              initial: 'pending',
              states: {
                pending: {
                  on: {
                    PASS_LEGALITY_REVIEW: { target: 'passed', actions: ['recordReview', 'announce'] },
                    FAIL_LEGALITY_REVIEW: {
                      target: '#filing.open.sentBack.amendmentRequested',
                      actions: ['recordReview', 'announce'],
                    },
                  },
                },
                passed: { type: 'final' },
              },
            },
            fairCompetition: {
              initial: 'pending',
              states: {
                pending: {
                  on: {
                    PASS_FAIR_COMPETITION_REVIEW: { target: 'passed', actions: ['recordReview', 'announce'] },
                    FAIL_FAIR_COMPETITION_REVIEW: {
                      target: '#filing.open.sentBack.amendmentRequested',
                      actions: ['recordReview', 'announce'],
                    },
                  },
                },
                passed: { type: 'final' },
                notRequired: { type: 'final' },
              },
            },
          },
        },
        /** 集体讨论决定 (R13). */
        decision: {
          initial: 'awaiting',
          states: {
            awaiting: {
              meta: { stage: 'awaitingDecision' },
              on: {
                ADOPT: { target: '#filing.open.signing', actions: ['recordDecision', 'announce'] },
                SEND_BACK_FOR_AMENDMENT: {
                  target: '#filing.open.sentBack.amendmentRequested',
                  actions: ['recordDecision', 'announce'],
                },
                REJECT: { target: '#filing.rejected', actions: ['recordDecision', 'announce'] },
                DEFER: { target: 'deferred', actions: ['recordDecision', 'announce'] },
              },
            },
            deferred: {
              meta: { stage: 'deferred' },
              on: { RESCHEDULE: { target: 'awaiting', actions: 'announce' } },
            },
          },
        },
        signing: {
          meta: { stage: 'signing' },
          on: {
            // R1: the disclosure attribute decides how a signed document ends.
            SIGN: [
              { guard: 'proactivelyPublic', target: '#filing.awaitingPublication', actions: ['recordSigning', 'announce'] },
              { target: '#filing.issued', actions: ['recordSigning', 'announce'] },
            ],
          },
        },
      },
    },
    awaitingPublication: {
      meta: { stage: 'awaitingPublication' },
      on: { PUBLISH: { target: 'published', actions: ['publishWithInterpretation', 'announce'] } },
    },
    /** Published, and still looked after: follow-up interpretation (R7) and validity (R17). */
    published: {
      meta: { stage: 'published' },
      on: {
        ADD_FOLLOW_UP: { guard: 'stillValid', actions: ['recordFollowUp', 'announce'] },
        AMEND: { guard: 'stillValid', actions: ['markValidity', 'announce'] },
        REPEAL: { guard: 'stillValid', actions: ['markValidity', 'announce'] },
        SET_EXPIRY: { guard: 'stillValid', actions: ['markValidity', 'announce'] },
        VALIDITY_CHANGED: { guard: 'validityChangeDue', actions: ['recordValidityChange', 'announce'] },
      },
    },
    /**
     * R1: public on application (依申请公开) or not public (不予公开): issued (印发) and recorded —
     * who signed, the document number and the day, in `signing` — and never published, so neither
     * the document nor its interpretation reaches the public site. Nothing follows in the product.
     */
    issued: { type: 'final', meta: { stage: 'issued' } },
    rejected: { type: 'final', meta: { stage: 'rejected' } },
    withdrawn: { type: 'final', meta: { stage: 'withdrawn' } },
  },
});

export type FilingMachine = typeof filingMachine;
