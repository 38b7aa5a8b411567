/** When the database goes away, requests get 503 DATABASE_UNAVAILABLE, not a 500 or a hang. */
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/log';
import { buildServices } from '../../src/services';
import { connect } from '../../src/store/connection';
import { createModels, ensureIndexes } from '../../src/store/models';
import { TEST_MAIL_SETTINGS } from '../support/harness';
import { createRepositories } from '../../src/store';

test('a closed database connection answers 503 with a typed code', async () => {
  // The service's own connection settings: commands fail fast instead of queueing.
  const connection = await connect(process.env.MONGODB_TEST_URI as string, `test_down_${Date.now()}`);
  const models = createModels(connection);
  await ensureIndexes(models);
  const services = buildServices(createRepositories(models), TEST_MAIL_SETTINGS);
  const { token } = await services.staff.register({ name: '测试', email: 't@example.gov.cn', role: 'drafter', department: '市财政局' });
  const app = createApp({
    services,
    public: { commentsPerMinute: 1000 },
    logger: silentLogger,
    bodyLimit: '1mb',
    describeDatabase: () => 'test',
  });
  expect((await request(app).get('/filings').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  await connection.dropDatabase();
  await connection.close();

  const res = await request(app).get('/filings').set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(503);
  expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
  // Health stays up so that orchestration can tell "alive but degraded" from "dead".
  expect((await request(app).get('/health')).status).toBe(200);
});
