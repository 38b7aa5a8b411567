/** The newcomer's seed data goes through the same service and lands in the stages it claims. */
import { seedFilings, seedStaff } from '../scripts/seed';
import { StaffDirectory } from '../src/auth';
import { FilingStore } from '../src/store/filings';
import { createModels, ensureIndexes } from '../src/store/models';
import { connectTestDatabase } from './support/db';

test('seed creates working staff tokens and sample filings in several stages', async () => {
  const db = await connectTestDatabase();
  try {
    const models = createModels(db.connection);
    await ensureIndexes(models);
    const { actors, table } = await seedStaff(models);
    const token = table.split('\n')[1].split('\t')[3];
    expect(await new StaffDirectory(models).authenticate(token)).toMatchObject({ role: 'drafter' });
    const made = await seedFilings(models, actors);
    expect(made).toHaveLength(4);
    const { items } = await new FilingStore(models).list({}, 1, 10);
    expect(items.map((f) => f.stage).sort()).toEqual(['consultation', 'published', 'returned', 'review']);
    expect(items.every((f) => /[\u4e00-\u9fff]/.test(f.title))).toBe(true);
  } finally {
    await db.close();
  }
});
