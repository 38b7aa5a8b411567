import { Types } from 'mongoose';
import { createModels, ensureIndexes } from '../../src/store/models';
import { FilingStore } from '../../src/store/filings';
import { connectTestDatabase } from '../support/db';

test('app store against backend', async () => {
  const db = await connectTestDatabase();
  const models = createModels(db.connection);
  await ensureIndexes(models);
  const store = new FilingStore(models);
  const actor = { id: 'a', name: 'A', role: 'drafter' as any, department: 'D1' };
  const now = new Date('2026-05-01T00:00:00Z');
  const head = await store.insert({
    title: 't', leadDepartment: 'D1', coDepartments: ['D2'], stage: 'draft', version: 1, everFiled: false, returnCount: 0,
    snapshot: { machineVersion: 1, value: { a: {} }, context: { materials: {} }, status: 'active' }, textVersions: [],
    history: [{ seq: 1, at: now, actor, event: 'CREATE', from: null, to: { stage: 'draft', states: ['x'] }, return: null, note: null }],
    createdAt: now, updatedAt: now,
  } as any);
  const ret = { kind: 'intake' as const, reasons: [{ code: 'R1', rule: 'rule 1' }, { code: 'R2', rule: 'rule 2', field: 'f' }] };
  const applied = await store.applyIfVersion(head._id, 1, {
    set: { snapshot: { machineVersion: 1, value: {}, context: { materials: {} }, status: 'active' }, stage: 'returned', title: 't', everFiled: true, returnCount: 1, updatedAt: now },
    history: { seq: 2, at: now, actor, event: 'RETURN', from: { stage: 'draft', states: [] }, to: { stage: 'returned', states: [] }, return: ret, note: 'n' },
    textVersion: { version: 1, title: 't', sha256: 'x', length: 1, at: now, by: actor },
  } as any);
  expect(applied?.version).toBe(2);
  expect((applied as any).history).toBeUndefined();
  expect((applied as any).snapshot.context.materials).toEqual({});
  expect(await store.applyIfVersion(head._id, 1, {} as any)).toBeNull();
  const sha = await store.saveText('hello');
  expect(await store.saveText('hello')).toBe(sha);
  expect(await store.text(sha)).toBe('hello');
  const list = await store.list({ coDepartments: 'D2' }, 1, 10);
  expect(list.total).toBe(1);
  expect((list.items[0] as any).textVersions).toBeUndefined();
  expect(await store.history(head._id)).toHaveLength(2);
  const stats = await store.returnStatistics(new Date('2026-01-01'), new Date('2027-01-01'));
  console.log(JSON.stringify(stats));
  expect(stats[0].returns).toBe(1);
  expect(stats[0].reasons).toHaveLength(2);
  expect(await store.head(new Types.ObjectId())).toBeNull();
  await db.close();
});
