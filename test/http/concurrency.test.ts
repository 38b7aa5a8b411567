/** Optimistic concurrency: a write against a stale version is refused and changes nothing. */
import { filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function historyLength(id: string): Promise<number> {
  return (await h.as('assessor').get(`/filings/${id}/history`)).body.history.length;
}

test('two simultaneous events on the same version: exactly one applies, the other gets 409', async () => {
  for (let round = 0; round < 5; round++) {
    const id = await filingAt(h, ['awaitingIntake']);
    const { version } = (await h.as('clerk').get(`/filings/${id}`)).body;
    const before = await historyLength(id);
    const [a, b] = await Promise.all([
      h.as('clerk').post(`/filings/${id}/events`, { type: 'ACCEPT', version }),
      h.as('clerk').post(`/filings/${id}/events`, {
        type: 'RETURN',
        version,
        reasons: [{ code: 'R18_OTHER' }],
        note: '并发退文',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.code).toBe('VERSION_CONFLICT');
    expect(await historyLength(id)).toBe(before + 1);
    const after = (await h.as('clerk').get(`/filings/${id}`)).body;
    expect(after.version).toBe(version + 1);
    const winner = a.status === 200 ? 'review' : 'returned';
    expect(after.stage).toBe(winner);
    expect(after.returnCount).toBe(winner === 'returned' ? 1 : 0);
  }
});

test('the same event sent twice at once applies once', async () => {
  const id = await filingAt(h, []);
  const before = await historyLength(id);
  const results = await Promise.all(
    Array.from({ length: 4 }, (_, i) =>
      h.as('drafter').post(`/filings/${id}/events`, { type: 'EDIT_TEXT', version: 1, body: `并发修改 ${i}` }),
    ),
  );
  expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  expect(await historyLength(id)).toBe(before + 1);
  const texts = (await h.as('drafter').get(`/filings/${id}/texts`)).body.versions;
  expect(texts.map((t: { version: number }) => t.version)).toEqual([1, 2]);
});

test('a stale version is refused with the current one, and nothing changes', async () => {
  const id = await filingAt(h, []);
  const first = await h.as('drafter').post(`/filings/${id}/events`, { type: 'FINALIZE_TEXT', version: 1 });
  expect(first.status).toBe(200);
  const stale = await h.as('drafter').post(`/filings/${id}/events`, { type: 'REOPEN_TEXT', version: 1 });
  expect(stale.status).toBe(409);
  expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 1, currentVersion: 2 });
  const now = (await h.as('drafter').get(`/filings/${id}`)).body;
  expect(now.version).toBe(2);
  expect(now.states).toContain('open.drafting.text.finalized');
});
