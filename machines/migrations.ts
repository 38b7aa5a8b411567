import { withParticularDefaults, type Particulars } from './dossier';
import { FILING_MACHINE_VERSION } from './filing.machine';
import { cstDay } from './validity';

/** A snapshot as it sits in the database, tagged with the chart version that wrote it. */
export interface StoredSnapshot {
  machineVersion: number;
  value: unknown;
  context: unknown;
  status: string;
}

/**
 * MIGRATIONS[n] lifts a snapshot written by chart version n to version n + 1. When the chart
 * changes shape, bump FILING_MACHINE_VERSION and add the step here; stored filings are lifted on
 * read, so old and new filings live side by side without a big-bang rewrite.
 */
export const MIGRATIONS: Record<number, (snapshot: StoredSnapshot) => StoredSnapshot> = {
  /**
   * v1 → v2: the consultation stage grew from one state into clearance → open → disposition →
   * report review, and each round now carries its plan. A v1 round had no end instant: it gets
   * the statutory 30 days from its opening (R9), so the scheduler closes it; a v1 round was
   * never cleared in the product, so its opening stands in for the clearance.
   */
  1: (snapshot) => {
    const value = snapshot.value as { open?: unknown };
    const context = snapshot.context as { consultations?: Array<{ openedAt: string; closedAt: string | null }>; text: { version: number } };
    const system = { id: 'system', name: '系统', role: 'system', department: null };
    const consultations = (context.consultations ?? []).map((round, index) => {
      const endsAt = round.closedAt ?? new Date(Date.parse(round.openedAt) + 30 * 86_400_000).toISOString();
      return {
        round: index + 1,
        draftVersion: context.text.version,
        basis: '',
        background: '',
        explanation: '',
        startsAt: round.openedAt,
        endsAt,
        minimumEndsAt: endsAt,
        shortenedReason: null,
        requested: { at: round.openedAt, by: system },
        clearance: { at: round.openedAt, by: system },
        refusal: null,
        extensions: [],
        closedAt: round.closedAt,
        report: null,
      };
    });
    return {
      ...snapshot,
      value: value.open === 'consultation' ? { open: { consultation: 'open' } } : snapshot.value,
      context: { ...context, consultations },
    };
  },
  /** v2 → v3: interpretation packages gained items by form (R5); old packages have none. */
  2: (snapshot) => {
    const context = snapshot.context as {
      interpretation: Record<string, unknown>;
      publication: { interpretation: Record<string, unknown> } | null;
    };
    const withItems = (pkg: Record<string, unknown>) => ({ ...pkg, items: (pkg.items as unknown[] | undefined) ?? [] });
    return {
      ...snapshot,
      context: {
        ...context,
        interpretation: withItems(context.interpretation),
        publication: context.publication ? { ...context.publication, interpretation: withItems(context.publication.interpretation) } : null,
      },
    };
  },
  /**
   * v3 → v4: published documents gained follow-up interpretations (R7) and a validity mark (R17).
   * A document published before has none of the former and is in force from its publication day.
   */
  3: (snapshot) => {
    const context = snapshot.context as { publication: { at: string; by: unknown } | null };
    const publication = context.publication;
    const day = publication ? cstDay(publication.at) : null;
    return {
      ...snapshot,
      context: {
        ...context,
        followUps: [],
        validity:
          publication && day
            ? {
                effectiveFrom: day,
                expiresOn: null,
                amendments: [],
                repeal: null,
                changes: [{ at: publication.at, by: publication.by, status: 'inForce', on: day }],
              }
            : null,
      },
    };
  },
  /**
   * v4 → v5: signing sends a document that is not proactively public to `issued` (R1). One signed
   * before and still awaiting publication was never going to be published lawfully: it is issued
   * now, with the signing it already carries. One already published stays as it was; the public
   * site no longer shows it.
   */
  4: (snapshot) => {
    const context = snapshot.context as { particulars?: { disclosure?: { attribute?: unknown } } };
    const proactive = context.particulars?.disclosure?.attribute === 'proactive';
    return snapshot.value === 'awaitingPublication' && !proactive ? { ...snapshot, value: 'issued', status: 'done' } : snapshot;
  },
  /**
   * v5 → v6: a fair competition conclusion that applies an exception states its ground, its
   * necessity and its time limit (R12). Conclusions stored before have none of them: null.
   */
  5: (snapshot) => {
    const context = snapshot.context as { particulars: Particulars };
    return { ...snapshot, context: { ...context, particulars: withParticularDefaults(context.particulars) } };
  },
};

export class UnsupportedMachineVersionError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`snapshot written by filing machine v${found}; this build understands v1 to v${supported}`);
  }
}

/** Lifts a stored snapshot, one version at a time, to the chart version this build runs. */
export function migrateSnapshot(
  stored: StoredSnapshot,
  to: number = FILING_MACHINE_VERSION,
  steps: Record<number, (snapshot: StoredSnapshot) => StoredSnapshot> = MIGRATIONS,
): StoredSnapshot {
  const from = stored.machineVersion;
  if (!Number.isInteger(from) || from < 1 || from > to) throw new UnsupportedMachineVersionError(from, to);
  let current = stored;
  while (current.machineVersion < to) {
    const lift = steps[current.machineVersion];
    if (lift === undefined) throw new UnsupportedMachineVersionError(from, to);
    current = { ...lift(current), machineVersion: current.machineVersion + 1 };
  }
  return current;
}
