/** The newcomer's seed data goes through the same service and lands in the stages it claims. */
import { execFileSync } from 'node:child_process';
import { describeFilings, seedFilings, seedStaff } from '../scripts/seed';
import { StaffDirectory } from '../src/auth';
import { createRepositories } from '../src/store';
import { createModels, ensureIndexes } from '../src/store/models';
import { connectTestDatabase } from './support/db';

test('seed creates working staff tokens, printed as shell exports, and sample filings in several stages', async () => {
  const db = await connectTestDatabase();
  try {
    const models = createModels(db.connection);
    await ensureIndexes(models);
    const repositories = createRepositories(models);
    const { actors, exports } = await seedStaff(repositories);
    // What the terminal shows is pasted into a shell as it is: the README's walk needs these.
    const pasted = execFileSync('/bin/sh', ['-c', `${exports}\nprintf '%s\\n' "$DRAFTER" "$HEAD" "$CLERK" "$ASSESSOR"`], { encoding: 'utf8' }).trim().split('\n');
    const directory = new StaffDirectory(repositories.staff);
    const roles = await Promise.all(pasted.map(async (token) => (await directory.authenticate(token))?.role));
    expect(roles).toEqual(['drafter', 'departmentHead', 'clerk', 'assessor']);
    expect(await directory.authenticate(pasted[0])).toMatchObject({ department: '市发展和改革委员会' });
    expect(await directory.authenticate(pasted[1])).toMatchObject({ department: '市发展和改革委员会' });
    // One variable per person, each a different token.
    const variables = [...exports.matchAll(/^export ([A-Z_]+)=(\S+)/gm)];
    expect(variables).toHaveLength(Object.keys(actors).length);
    expect(new Set(variables.map((m) => m[1])).size).toBe(variables.length);
    expect(new Set(variables.map((m) => m[2])).size).toBe(variables.length);

    const made = await seedFilings(repositories, actors);
    expect(made).toHaveLength(4);
    const { items } = await repositories.filings.list({ visibility: { kind: 'everything' } }, 1, 10);
    expect(items.map((f) => f.stage).sort()).toEqual(['consultation', 'published', 'returned', 'review']);
    expect(items.every((f) => /[\u4e00-\u9fff]/.test(f.title))).toBe(true);
    // The ids and stages printed are the stored ones.
    expect(made.map((f) => `${f.id} ${f.stage}`).sort()).toEqual(items.map((f) => `${String(f._id)} ${f.stage}`).sort());
    for (const f of made) expect(describeFilings(made)).toContain(`${f.id}  ${f.stage}（`);
  } finally {
    await db.close();
  }
});
