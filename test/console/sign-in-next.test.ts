/**
 * Sign-in leads back to the console page asked for (`next`, from a link in an e-mail) and nowhere
 * else: no open redirect through the login form, in plain or encoded form.
 */
import request from 'supertest';
import { loginPath, safeConsolePath } from '../../src/console/next';
import { csrfOf } from '../support/console';
import { filingAt, startHarness, type Harness } from '../support/harness';

const HOSTILE = [
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  'https://evil.example/console',
  'https:evil.example',
  'http://127.0.0.1/console',
  'javascript:alert(1)',
  'evil.example/console',
  'console/filings',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%2fconsole',
  '/console/%2F%2Fevil.example',
  '/console/%5C%5Cevil.example',
  '/console/%2e%2e/%2e%2e//evil.example',
  '/console/..//evil.example',
  '/console/../../evil.example',
  '/console/%252F%252Fevil.example',
  '/console\\..\\..\\evil.example',
  '/console/%09/evil.example',
  '/console/\t/evil.example',
  ' /console',
  '/console#//evil.example',
  '/consoleevil',
  '/console.evil.example',
  '/console@evil.example',
  '/console/login',
  '/console/login?next=//evil.example',
  '/console/logout',
  `/console/${'a'.repeat(2001)}`,
];

describe('safeConsolePath', () => {
  test.each(['/console', '/console/tasks', '/console/filings/6650a1b2c3d4e5f601234567', '/console?stage=review&page=2', '/console/filings/6650a1b2c3d4e5f601234567/consultation/1', '/console?department=%E5%B8%82%E8%B4%A2%E6%94%BF%E5%B1%80'])(
    'accepts the console path %s',
    (path) => expect(safeConsolePath(path)).toBe(path),
  );

  test.each(HOSTILE.map((p) => [p]))('refuses %j', (path) => expect(safeConsolePath(path)).toBeNull());

  test('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, ['/console'], { path: '/console' }]) expect(safeConsolePath(value)).toBeNull();
  });

  test('the home page needs no next', () => {
    expect(loginPath('/console')).toBe('/console/login');
    expect(loginPath(null)).toBe('/console/login');
    expect(loginPath('/console/tasks')).toBe('/console/login?next=%2Fconsole%2Ftasks');
  });
});

describe('the login form', () => {
  let h: Harness;
  let id: string;

  beforeAll(async () => {
    h = await startHarness();
    id = await filingAt(h, ['awaitingIntake']);
  }, 60_000);
  afterAll(() => h.close());

  const signIn = async (next: string | undefined, token: string) => {
    const agent = request.agent(h.app);
    const login = await agent.get(next === undefined ? '/console/login' : `/console/login?next=${encodeURIComponent(next)}`).expect(200);
    const res = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(login.text), token, ...(next === undefined ? {} : { next }) });
    return { agent, login, res };
  };

  test.each(HOSTILE.map((p) => [p]))('a hostile next %j is neither carried nor followed', async (next) => {
    const { login, res } = await signIn(next, h.tokens.clerk);
    expect(login.text).not.toContain('name="next"');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console');
  });

  test('a page asked for without a session is carried through a failed attempt and shown after signing in', async () => {
    const path = `/console/filings/${id}`;
    const agent = request.agent(h.app);
    const away = await agent.get(path).expect(303);
    expect(away.headers.location).toBe(`/console/login?next=${encodeURIComponent(path)}`);
    const login = await agent.get(away.headers.location).expect(200);
    const wrong = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(login.text), token: 'pd_wrong', next: path }).expect(401);
    expect(wrong.text).toContain(`name="next" value="${path}"`);
    const right = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(wrong.text), token: h.tokens.clerk, next: path }).expect(303);
    expect(right.headers.location).toBe(path);
    const { reference } = await h.service.get(h.actors.clerk, id);
    expect((await agent.get(path).expect(200)).text).toContain(reference);
  });

  test('the home page and forms posted without a session go to the plain login page', async () => {
    expect((await request(h.app).get('/console').expect(303)).headers.location).toBe('/console/login');
    const posted = await request(h.app).post(`/console/filings/${id}/events`).type('form').send({ type: 'ACCEPT' }).expect(303);
    expect(posted.headers.location).toBe('/console/login');
  });

  test('without next, signing in opens the console', async () => {
    const { res } = await signIn(undefined, h.tokens.clerk);
    expect(res.headers.location).toBe('/console');
  });
});
