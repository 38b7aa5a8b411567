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
  constructor(readonly found: number) {
    super(`snapshot written by filing machine v${found}; this build understands up to v${FILING_MACHINE_VERSION}`);
  }
}

export function migrateSnapshot(stored: StoredSnapshot): StoredSnapshot {
  let current = stored;
  if (!Number.isInteger(current.machineVersion) || current.machineVersion < 1 || current.machineVersion > FILING_MACHINE_VERSION) {
    throw new UnsupportedMachineVersionError(current.machineVersion);
  }
  while (current.machineVersion < FILING_MACHINE_VERSION) {
    const lift = MIGRATIONS[current.machineVersion];
    if (lift === undefined) throw new UnsupportedMachineVersionError(current.machineVersion);
    current = { ...lift(current), machineVersion: current.machineVersion + 1 };
  }
  return current;
}
