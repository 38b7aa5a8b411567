/** Bad input gets a typed code and changes nothing; no request yields a 500. */
import request from 'supertest';
import { FILING_EVENT_TYPES } from '../../machines/permissions';
import { RawClient } from '../support/fuzz';
import { filingAt, startHarness, type Harness } from '../support/harness';

let h: Harness;
let id: string;
beforeAll(async () => {
  h = await startHarness();
  id = await filingAt(h, []);
});
afterAll(async () => {
  await h.close();
});

async function unchanged(): Promise<void> {
  const view = (await h.as('drafter').get(`/filings/${id}`)).body;
  expect(view.version).toBe(1);
  expect((await h.as('drafter').get(`/filings/${id}/history`)).body.history).toHaveLength(1);
}

// Every refusal below must leave the filing exactly as it was.
afterEach(async () => {
  await unchanged();
});

describe('authentication', () => {
  test.each([
    ['no header', undefined],
    ['not bearer', 'Basic dXNlcjpwYXNz'],
    ['unknown token', 'Bearer pd_doesnotexist'],
    ['garbage', 'Bearer pd_&&&;--'],
    ['overlong', `Bearer pd_${'a'.repeat(5000)}`],
  ])('%s → 401', async (_name, header) => {
    const req = request(h.app).get(`/filings/${id}`);
    const res = await (header === undefined ? req : req.set('Authorization', header));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('bodies', () => {
  const post = (body: string, type = 'application/json') =>
    request(h.app)
      .post(`/filings/${id}/events`)
      .set('Authorization', `Bearer ${h.tokens.drafter}`)
      .set('Content-Type', type)
      .send(body);

  test('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await post('{"type": "EDIT_TEXT", ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
  });

  test('a JSON scalar or array is not an event → 400 VALIDATION_FAILED', async () => {
    for (const body of ['"SUBMIT"', '[1,2]', 'null', '42']) {
      const res = await post(body);
      expect(res.status).toBe(400);
    }
  });

  test('not JSON → 415', async () => {
    const res = await post('type=SUBMIT', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('too large → 413', async () => {
    const res = await post(JSON.stringify({ type: 'EDIT_TEXT', version: 1, body: 'x'.repeat(3 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test.each([
    [{ version: 1 }, 'type'],
    [{ type: 'LAUNCH_ROCKET', version: 1 }, 'type'],
    [{ type: 'FINALIZE_TEXT' }, 'version'],
    [{ type: 'FINALIZE_TEXT', version: '1' }, 'version'],
    [{ type: 'FINALIZE_TEXT', version: 1.5 }, 'version'],
    [{ type: 'FINALIZE_TEXT', version: 1, extra: true }, ''],
    [{ type: 'EDIT_TEXT', version: 1, body: '   ' }, 'body'],
    [{ type: 'EDIT_TEXT', version: 1, body: 12 }, 'body'],
    [{ type: 'EDIT_INTERPRETATION', version: 1, patch: {} }, 'patch'],
    [{ type: 'EDIT_INTERPRETATION', version: 1, patch: { materials: { gossip: '闲话' } } }, 'patch.materials'],
    [{ type: 'EDIT_INTERPRETATION', version: 1, patch: { forms: ['video', 'video'] } }, 'patch.forms'],
    [{ type: 'EDIT_PARTICULARS', version: 1, patch: { disclosure: { attribute: 'secret', reason: null } } }, 'patch.disclosure.attribute'],
    [{ type: 'EDIT_PARTICULARS', version: 1, patch: { adoptionReport: { summary: '采纳', commentCount: 1, adoptedCount: 2 } } }, 'patch.adoptionReport.adoptedCount'],
    [{ type: 'EDIT_PARTICULARS', version: 1, patch: { opinionSurvey: { method: '问卷', summary: '结果', conductedOn: '2026-13-45' } } }, 'patch.opinionSurvey.conductedOn'],
    [{ type: 'RETURN', version: 1, reasons: [], note: '退文' }, 'reasons'],
    [{ type: 'RETURN', version: 1, reasons: [{ code: 'BECAUSE' }], note: '退文' }, 'reasons.0.code'],
    [{ type: 'RETURN', version: 1, reasons: [{ code: 'R18_OTHER' }] }, 'note'],
    [{ type: 'PUBLISH', version: 1, url: 'javascript:alert(1)' }, 'url'],
    [{ type: 'WITHDRAW', version: 1, note: '' }, 'note'],
  ])('%j → 400 naming %s', async (body, field) => {
    const res = await h.as('drafter').post(`/filings/${id}/events`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.issues.length).toBeGreaterThan(0);
  });

  test('creating a filing validates too', async () => {
    const res = await h.as('drafter').post('/filings', { title: '', body: '正文' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('title');
  });
});

describe('ids, routes and states', () => {
  test.each(['000000000000000000000000', 'not-an-id', '%E4%B8%AD', "'; drop table"])('unknown id %s → 404', async (bad) => {
    const res = await h.as('drafter').get(`/filings/${encodeURIComponent(bad)}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('FILING_NOT_FOUND');
    const write = await h.as('drafter').post(`/filings/${encodeURIComponent(bad)}/events`, { type: 'FINALIZE_TEXT', version: 1 });
    expect(write.status).toBe(404);
  });

  test('unknown text version → 404; a non-number → 400', async () => {
    expect((await h.as('drafter').get(`/filings/${id}/texts/9`)).body.error.code).toBe('TEXT_VERSION_NOT_FOUND');
    expect((await h.as('drafter').get(`/filings/${id}/texts/abc`)).status).toBe(400);
  });

  test('unknown route → 404 ROUTE_NOT_FOUND', async () => {
    const res = await h.as('drafter').get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  test.each(['/filings/%E0%A4%A', '/filings/%', `/filings/x/texts/%ff`])('broken URL %s → 400 MALFORMED_REQUEST', async (url) => {
    const res = await h.as('drafter').get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_REQUEST');
  });

  test('query operators and prototype keys are not smuggled into a query', async () => {
    for (const url of ['/filings?stage[$ne]=x', '/filings?__proto__[x]=1', '/filings?page=%zz']) {
      const res = await h.as('drafter').get(url);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  test('list queries are validated', async () => {
    expect((await h.as('drafter').get('/filings?stage=limbo')).status).toBe(400);
    expect((await h.as('drafter').get('/filings?pageSize=1000')).status).toBe(400);
    expect((await h.as('drafter').get('/filings?stage=drafting&stage=review')).status).toBe(400);
  });

  test('an event the chart does not take now → 409 with the caller’s allowed events', async () => {
    const res = await h.as('drafter').post(`/filings/${id}/events`, { type: 'REVISE', version: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'EVENT_NOT_ALLOWED', event: 'REVISE', stage: 'drafting' });
    expect(res.body.error.allowedEvents).toEqual(
      expect.arrayContaining(['EDIT_TEXT', 'FINALIZE_TEXT', 'EDIT_INTERPRETATION', 'WITHDRAW']),
    );
    expect(res.body.error.allowedEvents).not.toContain('REVISE');
  });

  test('the head cannot file a text that is not finalised (409, nothing recorded)', async () => {
    const res = await h.as('head').post(`/filings/${id}/events`, { type: 'SUBMIT', version: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('EVENT_NOT_ALLOWED');
  });
});

describe('hostile input never yields a 500', () => {
  const values: unknown[] = [
    null, true, 0, -1, 1e308, '', 'x'.repeat(10_000), '\u0000', '$where', { $gt: '' }, ['a'], {}, { __proto__: { polluted: true } },
  ];
  const fields = ['version', 'body', 'patch', 'reasons', 'note', 'opinion', 'meeting', 'documentNumber', 'url'];
  let target: string;
  // One server and one kept-alive connection for the whole storm: supertest would listen on a new
  // port and open a new connection per request, which cost more than the requests themselves.
  let client: RawClient;
  const statuses = new Set<number>();

  beforeAll(async () => {
    // A published filing accepts no event, so even a well-formed one in the storm is refused.
    target = await filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision', 'signing', 'awaitingPublication']);
    await h.service.send(h.actors.publisher, target, { type: 'PUBLISH', version: (await h.service.get(h.actors.publisher, target)).version });
    client = await RawClient.start(h.app);
  }, 120_000);
  afterAll(async () => {
    await client.close();
  });

  // One event type per test: a slow machine makes each longer, never the whole storm one test.
  test.each(FILING_EVENT_TYPES.map((type) => [type]))('%s with every field set to odd values', async (type) => {
    // Collected and compared once: every failing request listed, not just the first.
    const problems: string[] = [];
    for (const value of values) {
      for (const field of fields) {
        const res = await client.send({
          method: 'POST',
          path: `/filings/${target}/events`,
          headers: { authorization: `Bearer ${h.tokens.drafter}`, 'content-type': 'application/json' },
          body: Buffer.from(JSON.stringify({ type, version: 1, [field]: value })),
        });
        statuses.add(res.status);
        const code = JSON.parse(res.text).error?.code ?? 'ok';
        if (res.status >= 500 || !/^[A-Z_]+$|^ok$/.test(code)) problems.push(`${field}=${JSON.stringify(value)?.slice(0, 40)} → ${res.status} ${code}`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  test('every answer was a refusal, and nothing was polluted', () => {
    expect(statuses.size).toBeGreaterThan(0);
    expect([...statuses].filter((s) => ![400, 403, 409].includes(s))).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
    // Thousands of requests: on a busy machine they outlast jest's default 30 s.
  }, 300_000);
});
