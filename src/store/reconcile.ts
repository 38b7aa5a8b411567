import type { Models } from './models';

/**
 * Fields of a stored filing that only mirror its snapshot for queries (its stage, its time limit,
 * who may see it) are written with every transition. Filings last written by an older build carry
 * them as that build's rules computed them; snapshots are lifted on read (machines/migrations.ts),
 * but lists, filters and the scheduler query these fields, so they are brought in line at start.
 * Each step is one updateMany over those fields alone, guarded by what it corrects: idempotent,
 * harmless when run by several instances at once, and leaving the snapshot and ledger untouched.
 */
export async function reconcileFilings(models: Models): Promise<{ issued: number; unshared: number; shared: number }> {
  // R1 (machine v5): a document not proactively public that was signed under the old chart was
  // left awaiting publication. Its snapshot now reads as issued; so must its stage, and the R6
  // time limit with its reminder and alert no longer applies: it is not a late publication.
  const issued = await models.Filing.updateMany(
    { stage: 'awaitingPublication', 'snapshot.context.particulars.disclosure.attribute': { $ne: 'proactive' } },
    { $set: { stage: 'issued', deadlineAt: null, reminderAt: null, alertAt: null } },
  ).exec();
  // Least privilege: `sharedWithOffice` once also became true on a consultation request, which
  // let every city-level role read a draft the department had not filed. It now means filed
  // (submitted at least once); values written under the old rule must not keep leaking.
  const unshared = await models.Filing.updateMany(
    { sharedWithOffice: true, 'snapshot.context.submissions': { $not: { $gt: 0 } } },
    { $set: { sharedWithOffice: false } },
  ).exec();
  const shared = await models.Filing.updateMany(
    { sharedWithOffice: { $ne: true }, 'snapshot.context.submissions': { $gt: 0 } },
    { $set: { sharedWithOffice: true } },
  ).exec();
  return { issued: issued.modifiedCount, unshared: unshared.modifiedCount, shared: shared.modifiedCount };
}
