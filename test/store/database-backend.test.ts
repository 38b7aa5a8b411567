/**
 * The database features the app relies on, checked through mongoose against whichever
 * backend global-setup chose (external, real mongod, or the offline mongomock bridge).
 * If one of these fails on the bridge, the app cannot be tested offline.
 */
import { Schema, Types, type Model } from 'mongoose';
import { connectTestDatabase, type TestDatabase } from '../support/db';

const backend = process.env.MONGODB_TEST_BACKEND ?? 'unknown';

interface Entry {
  seq: number;
  at: Date;
  event: string;
  reasons: Array<{ code: string }>;
}

interface Item {
  _id: Types.ObjectId;
  title: string;
  department: string;
  version: number;
  rank: number;
  owner: Types.ObjectId;
  createdAt: Date;
  history: Entry[];
  body?: string;
}

interface Account {
  email: string;
  name: string;
}

const entrySchema = new Schema<Entry>(
  { seq: Number, at: Date, event: String, reasons: [{ _id: false, code: String }] },
  { _id: false },
);
const itemSchema = new Schema<Item>(
  {
    title: { type: String, required: true },
    department: { type: String, required: true },
    version: { type: Number, required: true },
    rank: { type: Number, default: 0 },
    owner: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    history: { type: [entrySchema], default: [] },
    body: String,
  },
  { versionKey: false, collection: 'items' },
);
const accountSchema = new Schema<Account>(
  { email: { type: String, required: true, unique: true }, name: String },
  { versionKey: false, collection: 'accounts' },
);

let db: TestDatabase;
let Item: Model<Item>;
let Account: Model<Account>;

function newItem(overrides: Partial<Item> = {}): Omit<Item, '_id'> {
  return {
    title: 'policy',
    department: 'finance',
    version: 1,
    rank: 0,
    owner: new Types.ObjectId(),
    createdAt: new Date('2026-11-20T08:00:00.123Z'),
    history: [],
    ...overrides,
  };
}

beforeAll(async () => {
  db = await connectTestDatabase();
  Item = db.connection.model<Item>('Item', itemSchema);
  Account = db.connection.model<Account>('Account', accountSchema);
  await Promise.all([Item.init(), Account.init()]);
});

afterAll(async () => {
  await db?.close();
});

describe(`database backend "${backend}"`, () => {
  test('inserts and finds by id; Dates and ObjectIds round-trip exactly', async () => {
    const owner = new Types.ObjectId();
    const at = new Date('2026-01-02T03:04:05.678Z');
    const created = await Item.create(newItem({ owner, createdAt: at, history: [{ seq: 1, at, event: 'CREATE', reasons: [] }] }));

    const found = await Item.findById(created._id).lean().exec();
    expect(found).not.toBeNull();
    expect(found!._id).toBeInstanceOf(Types.ObjectId);
    expect(found!._id.equals(created._id)).toBe(true);
    expect(found!.owner).toBeInstanceOf(Types.ObjectId);
    expect(found!.owner.toHexString()).toBe(owner.toHexString());
    expect(found!.createdAt).toBeInstanceOf(Date);
    expect(found!.createdAt.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(found!.history[0].at.getTime()).toBe(at.getTime());

    // Queries by date and by ObjectId compare values, not representations.
    expect(await Item.countDocuments({ owner, createdAt: { $gte: at, $lt: new Date(at.getTime() + 1) } })).toBe(1);
  });

  test('a unique index rejects a duplicate with code 11000', async () => {
    await Account.syncIndexes();
    const indexes = await Account.listIndexes();
    expect(indexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { email: 1 }, unique: true })]));

    await Account.create({ email: 'a@example.org', name: 'first' });
    const duplicate = Account.create({ email: 'a@example.org', name: 'second' });
    await expect(duplicate).rejects.toMatchObject({ code: 11000, keyValue: { email: 'a@example.org' } });
    await expect(duplicate).rejects.toThrow(/E11000 duplicate key error/);
    expect(await Account.countDocuments({ email: 'a@example.org' })).toBe(1);

    // Updates are checked too, and a failed update leaves the document unchanged.
    const other = await Account.create({ email: 'b@example.org', name: 'other' });
    await expect(Account.updateOne({ _id: other._id }, { $set: { email: 'a@example.org', name: 'x' } })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await Account.findById(other._id).lean()).toMatchObject({ email: 'b@example.org', name: 'other' });
  });

  test('version-guarded updates: of two racing updates on one version exactly one applies', async () => {
    const item = await Item.create(newItem({ version: 7 }));
    const guardedUpdate = (event: string) =>
      Item.updateOne(
        { _id: item._id, version: 7 },
        {
          $set: { title: `after ${event}` },
          $inc: { version: 1 },
          $push: { history: { seq: 8, at: new Date(), event, reasons: [] } },
        },
      ).exec();

    const results = await Promise.all([guardedUpdate('A'), guardedUpdate('B')]);
    expect(results.map((r) => r.modifiedCount).sort()).toEqual([0, 1]);
    expect(results.map((r) => r.matchedCount).sort()).toEqual([0, 1]);

    const stored = await Item.findById(item._id).lean().exec();
    expect(stored!.version).toBe(8);
    expect(stored!.history).toHaveLength(1);
    expect(stored!.title).toBe(`after ${stored!.history[0].event}`);
  });

  test('findOneAndUpdate with the version guard returns the new document, or null when stale', async () => {
    const item = await Item.create(newItem({ version: 1, history: [{ seq: 1, at: new Date(), event: 'CREATE', reasons: [] }] }));
    const apply = (version: number) =>
      Item.findOneAndUpdate(
        { _id: item._id, version },
        { $set: { title: 'changed' }, $inc: { version: 1 }, $push: { history: { seq: version + 1, at: new Date(), event: 'EDIT', reasons: [] } } },
        { returnDocument: 'after', projection: { history: 0 } },
      )
        .lean()
        .exec();

    const updated = await apply(1);
    expect(updated).toMatchObject({ title: 'changed', version: 2 });
    expect(updated).not.toHaveProperty('history');
    expect(await apply(1)).toBeNull();

    const stored = await Item.findById(item._id).lean().exec();
    expect(stored!.history.map((h) => h.event)).toEqual(['CREATE', 'EDIT']);
  });

  test('$unwind + $match + $group with $sum aggregates nested arrays', async () => {
    const inYear = new Date('2026-03-01T00:00:00Z');
    const lastYear = new Date('2025-03-01T00:00:00Z');
    await Item.insertMany([
      newItem({
        department: 'agg-east',
        history: [
          { seq: 1, at: inYear, event: 'RETURN', reasons: [{ code: 'R1' }, { code: 'R2' }] },
          { seq: 2, at: inYear, event: 'RETURN', reasons: [{ code: 'R1' }] },
          { seq: 3, at: lastYear, event: 'RETURN', reasons: [{ code: 'R1' }] },
        ],
      }),
      newItem({ department: 'agg-west', history: [{ seq: 1, at: inYear, event: 'RETURN', reasons: [{ code: 'R2' }] }] }),
    ]);

    const rows = await Item.aggregate<{ _id: { department: string; code: string }; count: number }>([
      { $match: { department: { $in: ['agg-east', 'agg-west'] } } },
      { $unwind: '$history' },
      { $match: { 'history.at': { $gte: new Date('2026-01-01T00:00:00Z'), $lt: new Date('2027-01-01T00:00:00Z') } } },
      { $unwind: '$history.reasons' },
      { $group: { _id: { department: '$department', code: '$history.reasons.code' }, count: { $sum: 1 } } },
      { $sort: { '_id.department': 1, '_id.code': 1 } },
    ]).exec();

    expect(rows).toEqual([
      { _id: { department: 'agg-east', code: 'R1' }, count: 2 },
      { _id: { department: 'agg-east', code: 'R2' }, count: 1 },
      { _id: { department: 'agg-west', code: 'R2' }, count: 1 },
    ]);
  });

  test('sort/skip/limit pagination and countDocuments over more than 200 documents', async () => {
    const total = 250;
    await Item.insertMany(Array.from({ length: total }, (_, i) => newItem({ department: 'pages', rank: i % 50, title: `t${i}` })));

    // More than one batch: the driver has to use getMore.
    const all = await Item.find({ department: 'pages' }).sort({ rank: -1, title: 1 }).lean().exec();
    expect(all).toHaveLength(total);
    expect(all[0].rank).toBe(49);
    expect(all[total - 1].rank).toBe(0);
    expect(new Set(all.map((d) => d.title)).size).toBe(total);

    const cursorCount = await (async () => {
      let n = 0;
      for await (const _doc of Item.find({ department: 'pages' }).batchSize(30).cursor()) n += 1;
      return n;
    })();
    expect(cursorCount).toBe(total);

    const pageSize = 40;
    const seen: string[] = [];
    for (let page = 0; page * pageSize < total; page += 1) {
      const items = await Item.find({ department: 'pages' }, { history: 0 })
        .sort({ rank: -1, title: 1 })
        .skip(page * pageSize)
        .limit(pageSize)
        .lean()
        .exec();
      expect(items.length).toBe(Math.min(pageSize, total - page * pageSize));
      seen.push(...items.map((d) => d.title));
    }
    expect(seen).toEqual(all.map((d) => d.title));

    expect(await Item.countDocuments({ department: 'pages' })).toBe(total);
    expect(await Item.countDocuments({ department: 'pages', rank: { $gte: 45 } })).toBe(25);
  });

  test('a large (about 1 MB) document round-trips intact', async () => {
    const body = Array.from({ length: 1024 }, (_, i) => `${i.toString(36).padStart(4, '0')}`.repeat(256)).join('');
    expect(body.length).toBeGreaterThanOrEqual(1_000_000);
    const history = Array.from({ length: 500 }, (_, i) => ({ seq: i, at: new Date(1_700_000_000_000 + i), event: `E${i}`, reasons: [] }));
    const item = await Item.create(newItem({ body, history }));

    const stored = await Item.findById(item._id).lean().exec();
    expect(stored!.body).toBe(body);
    expect(stored!.history).toHaveLength(500);
    expect(stored!.history[499].at.getTime()).toBe(1_700_000_000_499);
  });

  test('an unknown raw command is refused and the server keeps serving', async () => {
    const raw = db.connection.db!;
    await expect(raw.command({ noSuchCommand: 1 })).rejects.toMatchObject({ code: 59 });
    await expect(raw.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    expect(await Item.estimatedDocumentCount()).toBeGreaterThan(0);
  });

  const standalone = backend === 'offline-bridge' || backend === 'mongod';
  (standalone ? test : test.skip)('transactions are refused, as on a standalone mongod', async () => {
    const session = await db.connection.startSession();
    try {
      session.startTransaction();
      const error = await Item.create([newItem({ title: 'in transaction' })], { session }).then(
        () => null,
        (e: unknown) => e as { code?: number; originalError?: { code?: number } },
      );
      // The driver rewraps IllegalOperation (20) as "does not support retryable writes".
      expect(error?.code ?? error?.originalError?.code).toBe(20);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await Item.countDocuments({ title: 'in transaction' })).toBe(0);
  });
});
