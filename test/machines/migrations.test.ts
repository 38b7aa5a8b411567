import { FILING_MACHINE_VERSION, openFiling, persist, restore, stageOf } from '../../machines/engine';
import { MIGRATIONS, migrateSnapshot, UnsupportedMachineVersionError } from '../../machines/migrations';
import { AT, drafter, input } from '../support/fixtures';

describe('stored snapshots', () => {
  test('carry the chart version that wrote them and restore to the same state', () => {
    const stored = persist(openFiling(input(), AT, drafter));
    expect(stored.machineVersion).toBe(FILING_MACHINE_VERSION);
    expect(stageOf(restore(stored))).toBe('drafting');
    expect(restore(stored).context).toEqual(stored.context);
  });

  test('every older chart version has a migration step to the next', () => {
    for (let v = 1; v < FILING_MACHINE_VERSION; v++) expect(MIGRATIONS[v]).toBeInstanceOf(Function);
  });

  test('a snapshot from a newer or unknown chart is refused, never guessed at', () => {
    const stored = persist(openFiling(input(), AT, drafter));
    expect(() => migrateSnapshot({ ...stored, machineVersion: FILING_MACHINE_VERSION + 1 })).toThrow(
      UnsupportedMachineVersionError,
    );
    expect(() => migrateSnapshot({ ...stored, machineVersion: 0 })).toThrow(UnsupportedMachineVersionError);
  });

  test('migrations run one version at a time, in order, from the stored version', () => {
    const stored = { ...persist(openFiling(input(), AT, drafter)), machineVersion: 1 };
    const seen: number[] = [];
    const steps = {
      1: (s: typeof stored) => (seen.push(s.machineVersion), { ...s, value: 'renamedByV2' }),
      2: (s: typeof stored) => (seen.push(s.machineVersion), { ...s, context: { ...(s.context as object), liftedTo3: true } }),
    };
    const lifted = migrateSnapshot(stored, 3, steps);
    expect(seen).toEqual([1, 2]);
    expect(lifted).toMatchObject({ machineVersion: 3, value: 'renamedByV2', context: { liftedTo3: true } });
    expect(migrateSnapshot({ ...stored, machineVersion: 2 }, 3, steps).value).toEqual(stored.value);
    // A gap in the chain is refused rather than skipped.
    expect(() => migrateSnapshot(stored, 3, { 2: steps[2] })).toThrow(UnsupportedMachineVersionError);
  });
});
