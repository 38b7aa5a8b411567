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

describe('v1 → v2: the consultation stage became clearance → open → disposition → report', () => {
  const v1 = (value: unknown, consultations: unknown[]) => ({
    ...persist(openFiling(input(), AT, drafter)),
    machineVersion: 1,
    value,
    context: { ...(persist(openFiling(input(), AT, drafter)).context as object), consultations } as unknown,
  });

  test('an open v1 consultation is open in v2, ending 30 days after it opened (R9)', () => {
    const restored = restore(v1({ open: 'consultation' }, [{ openedAt: '2026-01-01T00:00:00.000Z', closedAt: null }]));
    expect(stageOf(restored)).toBe('consultation');
    expect(restored.context.consultations[0]).toMatchObject({
      round: 1,
      endsAt: '2026-01-31T00:00:00.000Z',
      clearance: { at: '2026-01-01T00:00:00.000Z' },
      closedAt: null,
      report: null,
    });
  });

  test('a closed v1 round still counts as held for the completeness check (R8)', () => {
    const restored = restore(
      v1({ open: { drafting: { text: 'drafting', interpretation: 'drafting' } } }, [
        { openedAt: '2026-01-01T00:00:00.000Z', closedAt: '2026-02-01T00:00:00.000Z' },
      ]),
    );
    expect(stageOf(restored)).toBe('drafting');
    expect(restored.context.consultations[0].closedAt).toBe('2026-02-01T00:00:00.000Z');
  });
});

test('v2 → v3: interpretation packages gain an empty list of items (R5)', () => {
  const stored = persist(openFiling(input(), AT, drafter));
  const context = stored.context as { interpretation: Record<string, unknown> };
  const { items: _items, ...withoutItems } = context.interpretation;
  const v2 = { ...stored, machineVersion: 2, context: { ...context, interpretation: withoutItems } };
  expect(restore(v2).context.interpretation.items).toEqual([]);
});

test('v3 → v4: a document published before is in force from its publication day, without follow-ups (R7, R17)', () => {
  const stored = persist(openFiling(input(), AT, drafter));
  const { followUps: _f, validity: _v, ...v3context } = stored.context as Record<string, unknown>;
  const publication = { at: '2026-11-20T17:00:00.000Z', by: drafter, textVersion: 1, interpretation: {}, url: null };
  const published = { ...stored, machineVersion: 3, value: 'published', context: { ...v3context, publication } };
  const context = restore(published).context;
  expect(context.followUps).toEqual([]);
  // 17:00 UTC is the next day in China.
  expect(context.validity).toEqual({
    effectiveFrom: '2026-11-21',
    expiresOn: null,
    amendments: [],
    repeal: null,
    changes: [{ at: publication.at, by: drafter, status: 'inForce', on: '2026-11-21' }],
  });
  const draft = restore({ ...stored, machineVersion: 3, context: v3context });
  expect(draft.context.validity).toBeNull();
  expect(stageOf(restore(published))).toBe('published');
});
