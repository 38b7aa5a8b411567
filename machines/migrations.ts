import { FILING_MACHINE_VERSION } from './filing.machine';

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
export const MIGRATIONS: Record<number, (snapshot: StoredSnapshot) => StoredSnapshot> = {};

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
