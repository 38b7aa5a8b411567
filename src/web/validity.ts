import { INTERPRETATION_FORM_LABELS } from '../../machines/dossier';
import type { FollowUpInterpretation } from '../../machines/filing.machine';
import { cstDay, describeValidity, type Validity } from '../../machines/validity';
import { formatCst, formatCstDay } from '../calendar';

/** R17: the validity mark of a published document on the day it is shown, with its dates in words. */
export function validityView(validity: Validity | null, now: Date) {
  if (validity === null) return null;
  const v = describeValidity(validity, cstDay(now));
  return {
    status: v.status,
    label: v.label,
    lapsed: v.status === 'repealed' || v.status === 'expired',
    since: formatCstDay(v.since),
    effectiveFrom: formatCstDay(v.effectiveFrom),
    expiresOn: v.expiresOn ? formatCstDay(v.expiresOn) : null,
    amendments: v.amendments.map((a) => ({ ...a, effectiveOn: formatCstDay(a.effectiveOn) })),
    repeal: v.repeal
      ? { effectiveOn: formatCstDay(v.repeal.effectiveOn), note: v.repeal.note, document: v.repeal.document, inEffect: v.repeal.inEffect }
      : null,
    upcoming: v.upcoming ? { on: formatCstDay(v.upcoming.on), label: v.upcoming.label } : null,
  };
}

/** R7: the follow-up interpretations, newest first, as shown with the document. */
export function followUpsView(followUps: readonly FollowUpInterpretation[]) {
  return [...followUps].reverse().map((f) => ({
    formLabel: INTERPRETATION_FORM_LABELS[f.form],
    title: f.title,
    body: f.body,
    url: f.url,
    concern: f.concern,
    at: formatCst(new Date(f.at)),
  }));
}
