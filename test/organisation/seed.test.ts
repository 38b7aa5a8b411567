/** `npm run seed`: a jurisdiction, departments with valid codes, and an administrator and an auditor among the staff. */
import { execFileSync } from 'node:child_process';
import { seedOrganisation, seedStaff } from '../../scripts/seed';
import { StaffDirectory } from '../../src/auth';
import { isValidUscc } from '../../src/organisation/uscc';
import { buildServices } from '../../src/services';
import { createRepositories } from '../../src/store';
import { createModels, ensureIndexes } from '../../src/store/models';
import { connectTestDatabase } from '../support/db';
import { TEST_MAIL_SETTINGS } from '../support/harness';

test('the seeded administrator enters the city and its departments, once; the auditor reads the trail', async () => {
  const db = await connectTestDatabase();
  try {
    const models = createModels(db.connection);
    await ensureIndexes(models);
    const repositories = createRepositories(models);
    const { actors, exports } = await seedStaff(repositories);
    const pasted = execFileSync('/bin/sh', ['-c', `${exports}\nprintf '%s\\n' "$ADMINISTRATOR" "$SECURITY_AUDITOR" "$OPEN_GOVERNMENT_OFFICE" "$OPINION_DESK"`], { encoding: 'utf8' }).trim().split('\n');
    const directory = new StaffDirectory(repositories.staff);
    expect(await Promise.all(pasted.map(async (t) => (await directory.authenticate(t))?.role))).toEqual(['administrator', 'securityAuditor', 'openGovernmentOffice', 'opinionDesk']);

    expect(await seedOrganisation(repositories, actors.administrator)).toBe(6);
    const services = buildServices(repositories, TEST_MAIL_SETTINGS);
    const by = { actor: actors.administrator, ip: null, at: new Date(), route: 'test' };
    const { items } = await services.organisation.departments(by, { page: 1, pageSize: 50 });
    expect(items).toHaveLength(6);
    expect(items.every((d) => isValidUscc(d.code) && d.active && d.jurisdiction.name === '示例市')).toBe(true);
    // The drafting departments are the ones the staff belong to.
    for (const name of ['市发展和改革委员会', '市交通运输局', '市教育局', '市民政局']) expect(items.find((d) => d.name === name)?.parent?.name).toBe('示例市人民政府');
    // Entered by the administrator, so on the trail under their name.
    const created = await services.audit.list({ kinds: ['departmentCreated'] }, 1, 10);
    expect(created.total).toBe(6);
    expect(created.items.every((e) => e.actor?.id === actors.administrator.id)).toBe(true);
    // A second seed keeps the city as it is.
    expect(await seedOrganisation(repositories, actors.administrator)).toBe(0);
    expect((await services.organisation.departments(by, { page: 1, pageSize: 50 })).total).toBe(6);
  } finally {
    await db.close();
  }
});
