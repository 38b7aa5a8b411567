import type { z } from 'zod';
import type { InterpretationForm, InterpretationPackage, Particulars } from '../dossier';
import type { interpretationPatch } from '../events/schema';
import type { ReturnReason, RuleId } from '../reasons';
import type { Actor } from '../roles';
import type { Validity } from '../validity';

/** What a filing holds: the chart's context and the records its steps leave (R15). */

export interface Stamp {
  at: string;
  by: Actor;
}

export interface TextRef {
  version: number;
  title: string;
  sha256: string;
  length: number;
}

export interface ReturnRecord extends Stamp {
  /** `intake`: refused by the completeness check; `clerk`: returned by the general office. */
  kind: 'intake' | 'clerk';
  reasons: Array<ReturnReason & { rule: RuleId }>;
  note: string | null;
}

export interface ReviewRecord extends Stamp {
  review: 'legality' | 'fairCompetition';
  outcome: 'passed' | 'failed';
  opinion: string;
}

export interface DecisionRecord extends Stamp {
  outcome: 'adopted' | 'sentBackForAmendment' | 'rejected' | 'deferred';
  meeting: string | null;
  note: string | null;
}

export interface FilingContext {
  text: TextRef;
  particulars: Particulars;
  interpretation: InterpretationPackage;
  /** R2: the principal head's approval of the interpretation package; cleared when reopened. */
  interpretationApproval: (Stamp & { note: string | null }) | null;
  interpretationRejection: (Stamp & { note: string }) | null;
  /** R8/R9: rounds of public consultation on the draft, the latest last. */
  consultations: ConsultationRound[];
  submissions: number;
  returns: ReturnRecord[];
  reviews: ReviewRecord[];
  decisions: DecisionRecord[];
  signing: (Stamp & { documentNumber: string }) | null;
  /** R6: the interpretation published is the one frozen at publication, alongside the text. */
  publication: (Stamp & { textVersion: number; interpretation: InterpretationPackage; url: string | null }) | null;
  withdrawal: (Stamp & { note: string }) | null;
  /** R7: interpretations added after publication, in answer to public concern. */
  followUps: FollowUpInterpretation[];
  /** R17: set at publication; see validity.ts. */
  validity: Validity | null;
}

/** R7: one further interpretation of a published document (分段、多次、持续解读). */
export interface FollowUpInterpretation extends Stamp {
  form: InterpretationForm;
  title: string;
  body: string | null;
  url: string | null;
  /** The public concern it answers, if any. */
  concern: string | null;
}

/** What a drafting department asks to publish for comment (R8, R9). */
export interface ConsultationPlan {
  /** The text version put out for comment: every comment belongs to it. */
  draftVersion: number;
  /** 决策依据 */
  basis: string;
  background: string;
  explanation: string;
  startsAt: string;
  endsAt: string;
  /** R9: the statutory minimum end; an earlier end needs `shortenedReason`, shown publicly. */
  minimumEndsAt: string;
  shortenedReason: string | null;
}

/** R11: the figures of a finalised adoption report; the report itself is stored beside. */
export interface AdoptionReportSummary {
  reportId: string;
  commentCount: number;
  adopted: number;
  partlyAdopted: number;
  notAdopted: number;
  notApplicable: number;
  finalizedAt: string;
  publishedAt: string | null;
}

export interface ConsultationRound extends ConsultationPlan {
  round: number;
  requested: Stamp;
  /** R15: confidentiality clearance before anything is public. */
  clearance: Stamp | null;
  refusal: (Stamp & { note: string }) | null;
  extensions: Array<Stamp & { from: string; to: string; reason: string }>;
  closedAt: string | null;
  report: AdoptionReportSummary | null;
}

export interface FilingInput {
  title: string;
  textSha256: string;
  textLength: number;
  particulars: Particulars;
  interpretation?: InterpretationPackage;
}

/** A change to the interpretation package, as callers send it (see events/schema.ts). */
export type InterpretationPatch = z.output<typeof interpretationPatch>;
