/**
 * R19: a link in an e-mail opens a page a person can use. Staff links lead to the console page of
 * the filing — without a session through sign-in, which carries the page asked for (`next`) and
 * shows it once signed in; commenters' links lead to pages of the public site.
 */
import request from 'supertest';
import { MAIL_TEMPLATES } from '../../machines/notifications';
import { CommentNoticeSource } from '../../src/mail/sources';
import { csrfOf } from '../support/console';
import { STAFF, startHarness, TEST_MAIL_SETTINGS, type Harness, type StaffKey } from '../support/harness';
import { fullLifecycle, staffMails, type Lifecycle } from '../support/lifecycle';

const BASE = TEST_MAIL_SETTINGS.baseUrl;
let h: Harness;
let life: Lifecycle;

beforeAll(async () => {
  h = await startHarness();
  life = await fullLifecycle(h, () => new Date());
}, 240_000);
afterAll(() => h.close());

/** An attribute's value as a browser reads it (Handlebars escapes `=`, `/`, `&`…). */
const unescape = (value: string) =>
  value
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every address a mail points at: the HTML's hrefs and the plain text's URLs. */
function linksIn(mail: { html: string; text: string }): string[] {
  const hrefs = [...mail.html.matchAll(/href="([^"]*)"/g)].map((m) => unescape(m[1]));
  const urls = [...mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
  return [...new Set([...hrefs, ...urls])];
}

const staffByEmail = new Map(Object.keys(STAFF).map((key) => [`${key}@example.gov.cn`, key as StaffKey]));
const loginForm = (html: string) => /<form method="post" action="\/console\/login"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
const nextIn = (html: string) => {
  const value = /name="next" value="([^"]*)"/.exec(loginForm(html))?.[1];
  return value === undefined ? null : unescape(value);
};

test('the lifecycle made every kind of staff e-mail', async () => {
  const templates = new Set((await staffMails(h, life.filings)).map((m) => m.template));
  expect([...templates].sort()).toEqual([...MAIL_TEMPLATES].sort());
});

test('every link in every staff e-mail leads, through sign-in, to the console page of its filing', async () => {
  const mails = await staffMails(h, life.filings);
  const visits = new Map<string, { path: string; who: StaffKey; filingId: string }>();
  for (const mail of mails) {
    const links = linksIn(mail);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      expect({ template: mail.template, link }).toEqual({ template: mail.template, link: `${BASE}/console/filings/${mail.filingId}` });
      const who = staffByEmail.get(mail.to.email) as StaffKey;
      visits.set(`${link} ${who}`, { path: link.slice(BASE.length), who, filingId: mail.filingId });
    }
  }
  expect(visits.size).toBeGreaterThan(10);

  for (const { path, who, filingId } of visits.values()) {
    const { reference, title } = await h.service.get(h.actors.assessor, filingId);
    const agent = request.agent(h.app);
    // Without a session: the login page, whose form carries the page asked for.
    const away = await agent.get(path).expect(303);
    expect(away.headers.location).toBe(`/console/login?next=${encodeURIComponent(path)}`);
    const login = await agent.get(away.headers.location).expect(200);
    expect(nextIn(login.text)).toBe(path);
    // Signing in as the recipient shows the page asked for.
    const signedIn = await agent.post('/console/login').type('form').send({ _csrf: csrfOf(login.text), token: h.tokens[who], next: nextIn(login.text) }).expect(303);
    expect({ who, location: signedIn.headers.location }).toEqual({ who, location: path });
    const page = await agent.get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(reference);
    expect(page.text).toContain(title);
  }
}, 240_000);

test('the commenter\'s e-mail links to pages of the public site: the adoption report and the receipt lookup', async () => {
  const source = new CommentNoticeSource(h.services.repositories.mail, h.services.store, { baseUrl: BASE, messageIdDomain: 'predisclosure.test', productName: '政策解读与重大决策预公开系统' });
  const [mail, ...others] = await source.due(new Date(), 10);
  expect(others).toEqual([]);
  const links = linksIn(mail);
  expect(links).toHaveLength(2);
  const { title } = await h.service.get(h.actors.assessor, life.filings[0]);
  const pages: string[] = [];
  for (const link of links) {
    expect(link.startsWith(`${BASE}/`)).toBe(true);
    const page = await request(h.app).get(link.slice(BASE.length)).expect(200);
    expect({ link, type: page.headers['content-type'] }).toEqual({ link, type: expect.stringMatching(/^text\/html/) });
    expect(page.text).toMatch(/<html lang="zh-CN"/);
    pages.push(page.text);
  }
  // One is the report of the consultation, the other the answer to this comment.
  expect(pages.some((p) => p.includes('意见收集和采纳情况') && p.includes(title))).toBe(true);
  expect(pages.some((p) => p.includes(life.receipt) && p.includes('采纳'))).toBe(true);
});
