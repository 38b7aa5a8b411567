/**
 * Hostile input. Thousands of malformed and hostile requests to every route the
 * app registers — broken and deep JSON, wrong content types and encodings, wrong types, operators
 * and prototype keys in bodies and query strings, markup, odd Unicode and invalid UTF-8, traversal
 * in parameters, odd methods, forms with and without their CSRF token, as every role and none.
 *
 * Asserted: no 5xx; a refusal of the API is JSON with a machine-readable code, one of the public
 * site or the console an HTML page; nothing stored changes; the service stays up; every page
 * escapes what it shows; Object.prototype stays clean.
 *
 * Reproduce a failure with the printed seed: FUZZ_SEED=<seed> npx jest test/http/fuzz.test.ts
 * (FUZZ_CASES=<n> changes how many storm requests are generated).
 */
import { FILING_EVENT_TYPES } from '../../machines/permissions';
import { REASON_CODES } from '../../machines/reasons';
import { completeInterpretation, CO } from '../support/fixtures';
import {
  fingerprint,
  fingerprintChanges,
  formBody,
  HOSTILE_KEYS,
  HOSTILE_SEGMENTS,
  HOSTILE_STRINGS,
  hostileObjects,
  hostileValue,
  inParallel,
  liveMarkup,
  MARKUP,
  ODD_UNICODE,
  paramsOf,
  percentEncode,
  RawClient,
  rawBodies,
  registeredRoutes,
  rng,
  type RawRequest,
  type RawResponse,
  type RegisteredRoute,
  type Rng,
} from '../support/fuzz';
import { drive, filingAt, STAFF, startHarness, type Harness, type StaffKey, type Step } from '../support/harness';

const SEED = (process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x5eed_2026) >>> 0;
const CASES = process.env.FUZZ_CASES ? Number(process.env.FUZZ_CASES) : 4000;

let h: Harness;
let client: RawClient;

const staffKeys = Object.keys(STAFF) as StaffKey[];

// ---------------------------------------------------------------------------------------------
// The world the storm runs against: filings in every kind of stage, comments, a published report
// and document, console sessions and the CSRF tokens of both sites. Markup is everywhere staff
// and the public can put text, so part (4) can check every page escapes it.

const X = MARKUP.join(' ');
const markupFiling = (label: string) => {
  const interpretation = completeInterpretation();
  return {
    title: `${label}：关于${MARKUP[0]}${MARKUP[1]}的方案`,
    body: ['第一条 ' + MARKUP.slice(0, 4).join(''), '第二条 ' + MARKUP.slice(4).join(''), `第三条 ${ODD_UNICODE.join(' ')}`].join('\n'),
    coDepartments: [CO],
    interpretation: {
      ...interpretation,
      plan: `解读方案${X}`,
      materials: Object.fromEntries(Object.keys(interpretation.materials).map((k) => [k, `${k}${X}`])),
      items: [
        { form: 'policyQa' as const, title: `问答${MARKUP[1]}`, body: `答：${X}`, url: null },
        { form: 'video' as const, title: `视频${MARKUP[2]}`, body: null, url: 'https://www.example.gov.cn/v.mp4?a=%22%3E%3Cscript%3Ealert(9)%3C/script%3E' },
      ],
    },
  };
};

interface World {
  filings: Record<'draft' | 'intake' | 'review' | 'signed' | 'open' | 'disposition' | 'published', string>;
  receipts: string[];
  messageIds: string[];
  commentIds: string[];
  clusterId: string;
  /** pd_csrf cookie value shared by every browser-like request. */
  nonce: string;
  portalToken: string;
  consoleToken: string;
  sessions: Record<StaffKey, string>;
  versions: Record<string, number>;
}
let world: World;

const consultationOf = (extra: Record<string, unknown> = {}) => ({
  type: 'START_CONSULTATION',
  endsAt: new Date(Date.now() + 31 * 86_400_000).toISOString(),
  basis: `依据${X}`,
  background: `背景${X}`,
  explanation: `说明${X}`,
  ...extra,
});

async function json(method: string, path: string, body: unknown, who?: StaffKey): Promise<RawResponse> {
  return client.send({
    method,
    path,
    headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${h.tokens[who]}` } : {}) },
    body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
  });
}

async function comment(id: string, body: unknown): Promise<string> {
  const res = await json('POST', `/public/consultations/${id}/comments`, body);
  expect({ status: res.status, text: res.status === 201 ? '' : res.text }).toEqual({ status: 201, text: '' });
  return JSON.parse(res.text).receipt;
}

async function disposeAll(id: string, reason: string): Promise<void> {
  const list = await json('GET', `/filings/${id}/comments?round=1&pageSize=200`, undefined, 'drafter');
  const ids = (JSON.parse(list.text).items as Array<{ id: string }>).map((c) => c.id);
  const res = await json('POST', `/filings/${id}/consultations/1/dispositions`, { commentIds: ids, outcome: 'notAdopted', reason }, 'drafter');
  expect(res.status).toBe(200);
}

const cookieValue = (res: RawResponse, name: string): string => {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const found = set.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${res.status} ${res.text.slice(0, 200)}`);
  return found.slice(name.length + 1);
};
const tokenIn = (html: string): string => /name="_csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? '';

async function buildWorld(): Promise<World> {
  const r = rng(SEED ^ 0x9e3779b9);
  const nonce = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
  const browser = { cookie: `pd_csrf=${nonce}` };

  const [draft, intake, review, signed] = await Promise.all([
    filingAt(h, [], markupFiling('起草中')),
    filingAt(h, ['awaitingIntake'], markupFiling('待收文')),
    filingAt(h, ['awaitingIntake', 'review'], markupFiling('审查中')),
    filingAt(h, ['awaitingIntake', 'review', 'awaitingDecision', 'signing', 'awaitingPublication'], markupFiling('待发布')),
  ]);
  const consulted = async (label: string) => {
    const id = await filingAt(h, [], markupFiling(label));
    await drive(h, id, [
      ['drafter', consultationOf({ shortenedReason: null })],
      ['confidentialityReviewer', { type: 'CLEAR_FOR_PUBLICATION', note: `保密${X}` }],
    ] as Step[]);
    return id;
  };
  const [open, disposition, published] = await Promise.all([consulted('征求意见中'), consulted('意见处理中'), consulted('已发布')]);

  // Comments with markup, odd Unicode and personal data: accepted (201), then shown as text.
  const receipts: string[] = [];
  for (const id of [open, disposition, published]) {
    receipts.push(await comment(id, { article: 1, body: `第一条意见${X}`, name: `${MARKUP[1]}`, email: null, phone: null }));
    // Lone surrogates are refused (MALFORMED_TEXT, test/http/malformed-text.test.ts); the rest is stored.
    receipts.push(await comment(id, { article: null, body: `全文意见 ${ODD_UNICODE.filter((t) => !/\p{Cs}/u.test(t)).join(' ')} 电话13800138000`, name: null }));
    // Two identical comments: a campaign for the cluster routes.
    receipts.push(await comment(id, { body: `请取消${MARKUP[0]}这一条` }));
    receipts.push(await comment(id, { body: `请取消${MARKUP[0]}这一条` }));
  }
  // And one through the public form, as a browser without script would post it.
  const form = await client.send({ method: 'GET', path: `/consultations/${open}/comment`, headers: browser });
  const portalToken = tokenIn(form.text);
  expect(portalToken).not.toBe('');
  const posted = await client.send({
    method: 'POST',
    path: `/consultations/${open}/comment`,
    headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(formBody([['_csrf', portalToken], ['article', '2'], ['body', `表单意见${X}`], ['name', MARKUP[2]], ['email', '']])),
  });
  // Answered with a redirect to the receipt page (POST → 303 → GET).
  expect(posted.status).toBe(303);
  receipts.push(/YJ[0-9A-Z]{10}$/.exec(String(posted.headers.location))?.[0] ?? '');

  await drive(h, disposition, [['system', { type: 'CLOSE_CONSULTATION' }]]);
  await drive(h, published, [['system', { type: 'CLOSE_CONSULTATION' }]]);
  await disposeAll(published, `不采纳的理由${X}`);
  const toPublished: Step[] = [
    ['drafter', { type: 'FINALIZE_ADOPTION_REPORT' }],
    ['publisher', { type: 'PUBLISH_ADOPTION_REPORT' }],
    ['drafter', { type: 'REQUEST_INTERPRETATION_APPROVAL' }],
    ['head', { type: 'APPROVE_INTERPRETATION', note: `同意${X}` }],
    ['drafter', { type: 'FINALIZE_TEXT' }],
    ['head', { type: 'SUBMIT' }],
    ['clerk', { type: 'ACCEPT' }],
    ['legalReviewer', { type: 'PASS_LEGALITY_REVIEW', opinion: `合法${X}` }],
    ['meetingSecretary', { type: 'ADOPT', meeting: `第1次常务会议${MARKUP[0]}`, note: null }],
    ['signer', { type: 'SIGN', documentNumber: `某政发${MARKUP[1]}` }],
    ['publisher', { type: 'PUBLISH', url: null, effectiveFrom: null, expiresOn: null }],
    ['drafter', { type: 'ADD_FOLLOW_UP', form: 'policyQa', title: `追加解读${MARKUP[0]}`, body: `问答${X}`, url: null, concern: `关切${MARKUP[1]}` }],
    ['publisher', { type: 'AMEND', document: { title: `修改文件${MARKUP[2]}`, documentNumber: MARKUP[3].slice(0, 100), url: null }, effectiveOn: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10) }],
  ];
  await drive(h, published, toPublished);

  // The campaign of the round in disposition, and every comment id.
  const clusters = await json('GET', `/filings/${disposition}/consultations/1/clusters`, undefined, 'drafter');
  const clusterId = (JSON.parse(clusters.text).clusters as Array<{ clusterId: string }>)[0]?.clusterId ?? '';
  expect(clusterId).toMatch(/^[0-9a-f]{24}$/);
  const comments = await h.models.Comment.find({}, { _id: 1 }).lean().exec();
  const filings = await h.models.Filing.find({}, { outbox: 1 }).lean().exec();

  // Console sessions: the login form with its CSRF token, as a browser.
  const login = await client.send({ method: 'GET', path: '/console/login', headers: browser });
  const consoleToken = tokenIn(login.text);
  expect(consoleToken).not.toBe('');
  const sessions = {} as Record<StaffKey, string>;
  for (const who of staffKeys) {
    const res = await client.send({
      method: 'POST',
      path: '/console/login',
      headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(formBody([['_csrf', consoleToken], ['token', h.tokens[who]]])),
    });
    expect(res.status).toBe(303);
    sessions[who] = cookieValue(res, 'pd_session');
  }

  const ids = { draft, intake, review, signed, open, disposition, published };
  const versions: Record<string, number> = {};
  for (const id of Object.values(ids)) versions[id] = (await h.service.get(h.actors.assessor, id)).version;
  return {
    filings: ids,
    receipts,
    messageIds: filings.flatMap((f) => f.outbox.map((m) => m.messageId)),
    commentIds: comments.map((c) => String(c._id)),
    clusterId,
    nonce,
    portalToken,
    consoleToken,
    sessions,
    versions,
  };
}

beforeAll(async () => {
  h = await startHarness();
  client = await RawClient.start(h.app);
  world = await buildWorld();
  // Reads may fill caches (the campaigns of a round): fill them now, so the storm finds them full.
  for (const id of Object.values(world.filings)) {
    await json('GET', `/filings/${id}/consultations/1/clusters`, undefined, 'drafter');
    await json('GET', `/filings/${id}/consultations/1/clusters`, undefined, 'assessor');
  }
}, 300_000);

afterAll(async () => {
  await client?.close();
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// Which routes answer in HTML, and how each mutating route is sent bodies it must refuse.

const HTML_PREFIXES = ['/consultations', '/documents', '/receipts', '/reports', '/console', '/assets'];
function isHtmlPath(rawPath: string): boolean {
  const path = rawPath.split('?')[0];
  return path === '/' || HTML_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

type BodyKind =
  | 'newFiling'
  | 'command'
  | 'disposal'
  | 'redaction'
  | 'none'
  | 'comment'
  | 'commentForm'
  | 'loginForm'
  | 'logoutForm'
  | 'newFilingForm'
  | 'commandForm'
  | 'disposalForm'
  | 'redactionForm'
  // The administration's forms: no fuzzed form carries a code, a kind or a division code, and no
  // filing id is a department's, so every one is refused.
  | 'adminForm';

/** Every mutating route, and how to build bodies for it that must be refused. A new one must be added here. */
const MUTATIONS: Record<string, BodyKind> = {
  'POST /filings': 'newFiling',
  'POST /filings/:id/events': 'command',
  'POST /filings/:id/consultations/:round/dispositions': 'disposal',
  'POST /filings/:id/comments/:commentId/redactions': 'redaction',
  'POST /mail/:messageId/resend': 'none',
  'POST /public/consultations/:filingId/comments': 'comment',
  'POST /consultations/:filingId/comment': 'commentForm',
  'POST /console/login': 'loginForm',
  'POST /console/logout': 'logoutForm',
  'POST /console/filings': 'newFilingForm',
  'POST /console/filings/:id/events': 'commandForm',
  'POST /console/filings/:id/consultation/:round/dispositions': 'disposalForm',
  'POST /console/filings/:id/consultation/:round/redactions': 'redactionForm',
  // The administration (administrator only): hostile bodies lack the required fields; ids are filings'.
  'POST /admin/jurisdictions': 'none',
  'POST /admin/jurisdictions/:id': 'none',
  'POST /admin/departments': 'none',
  'POST /admin/departments/:id': 'none',
  'POST /admin/departments/:id/deactivate': 'none',
  'POST /admin/departments/:id/reactivate': 'none',
  'POST /console/admin/jurisdictions': 'adminForm',
  'POST /console/admin/departments': 'adminForm',
  'POST /console/admin/departments/:id': 'adminForm',
  'POST /console/admin/departments/:id/deactivate': 'adminForm',
  'POST /console/admin/departments/:id/reactivate': 'adminForm',
};

const QUERY_KEYS = ['stage', 'page', 'pageSize', 'department', 'deadline', 'tasks', 'year', 'status', 'round', 'undisposed', 'article', 'clusterId', 'cluster', 'view', 'q', 'code', 'from', 'to', 'done'];

/** Fills one path parameter: mostly something real (so handlers run deep), else something hostile. */
function paramValue(r: Rng, name: string): string {
  const real = r.chance(0.7);
  const pool: Record<string, () => string> = {
    id: () => r.pick(Object.values(world.filings)),
    filingId: () => r.pick(Object.values(world.filings)),
    round: () => r.pick(['1', '1', '2']),
    version: () => r.pick(['1', '2', '3']),
    receipt: () => r.pick(world.receipts),
    messageId: () => encodeURIComponent(r.pick(world.messageIds)),
    commentId: () => r.pick(world.commentIds),
  };
  const filler = pool[name];
  if (!filler) throw new Error(`the fuzzer has no values for the route parameter :${name}: add it to paramValue()`);
  return real ? filler() : r.pick(HOSTILE_SEGMENTS);
}

function hostileQuery(r: Rng): string {
  const pairs: string[] = [];
  for (let i = r.int(1, 4); i > 0; i--) {
    const key = r.pick(QUERY_KEYS);
    const shape = r.int(0, 9);
    const value = String(r.pick(HOSTILE_STRINGS)).slice(0, 600);
    if (shape === 0) pairs.push(`${key}[$ne]=${percentEncode(value)}`);
    else if (shape === 1) pairs.push(`${key}[$gt]=1`, `${key}[$where]=sleep(100)`);
    else if (shape === 2) pairs.push(`${key}=1`, `${key}=2`, `${key}=${percentEncode(value)}`);
    else if (shape === 3) pairs.push(`__proto__[polluted]=yes`, `constructor[prototype][polluted]=yes`);
    else if (shape === 4) pairs.push(`${key}=%`, `${key}=%zz%ff%C0%AF`);
    else if (shape === 5) pairs.push(`${key}[]=${percentEncode(value)}`);
    else pairs.push(`${key}=${percentEncode(value)}`);
  }
  return `?${pairs.join('&')}`;
}

const EVENT_TYPES = [...FILING_EVENT_TYPES];
/** Versions no filing here has: every command carrying one is refused. */
const BAD_VERSIONS_JSON: unknown[] = [0, -1, 1.5, '1', null, 999_999, true, [1], ...hostileObjects().slice(0, 3)];
const BAD_VERSIONS_FORM = ['', '0', '-1', 'abc', '1.5', '999999', '1e999', '[object Object]', 'NaN', '-0'];

function hostileFields(r: Rng, keys: readonly string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) out[r.pick(keys)] = hostileValue(r);
  return out;
}

/** A JSON object whose own keys may be `__proto__` & co.; built as text so nothing is lost. */
function objectJson(fields: Record<string, unknown>, extra: Array<[string, unknown]> = []): string {
  const entries = [...Object.entries(fields), ...extra].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`);
  return `{${entries.join(',')}}`;
}

/** Who sends a case, and to which filing: decides whether a well-formed body is refused anyway. */
interface Context {
  who: StaffKey;
  /** 'bearer': the API token of `who`; 'session': the console session of `who`; else neither. */
  auth: 'bearer' | 'session' | 'none';
  csrfValid: boolean;
  filingId: string | undefined;
}

const isDrafter = (who: StaffKey) => STAFF[who].role === 'drafter';

/** Well-formed commands no filing here can take: the version never matches (409 or earlier). */
const STALE_COMMANDS: Array<Record<string, unknown>> = [
  { type: 'SUBMIT' },
  { type: 'ACCEPT' },
  { type: 'FINALIZE_TEXT' },
  { type: 'CLOSE_CONSULTATION' },
  { type: 'PUBLISH_ADOPTION_REPORT' },
  { type: 'WITHDRAW', note: `撤回${X}` },
  { type: 'PASS_LEGALITY_REVIEW', opinion: X },
  { type: 'SIGN', documentNumber: MARKUP[0] },
  { type: 'ADOPT', meeting: X.slice(0, 200) },
  { type: 'RETURN', reasons: [{ code: 'R18_OTHER' }], note: X },
  { type: 'EDIT_TEXT', body: `第一条 ${X}` },
];

/**
 * A well-formed body that must still be refused for who sends it or where: a stale version, the
 * wrong role, a closed consultation. Null where a well-formed body could succeed.
 */
function refusedAnyway(r: Rng, kind: BodyKind, ctx: Context): Record<string, unknown> | null {
  switch (kind) {
    case 'command':
      return { ...r.pick(STALE_COMMANDS), version: r.pick([999_999, 1_000_000_000]) };
    case 'newFiling':
      return ctx.auth === 'bearer' && isDrafter(ctx.who) ? null : { title: `越权的文件${MARKUP[0]}`, body: `第一条 ${X}` };
    case 'disposal':
      if (ctx.auth === 'bearer' && ctx.who === 'drafter') return null;
      return r.chance(0.5) ? { commentIds: world.commentIds.slice(0, 2), outcome: 'adopted' } : { clusterId: world.clusterId, outcome: 'notApplicable', reason: X };
    case 'comment':
      return ctx.filingId === world.filings.open ? null : { article: 1, body: `不在征求意见期的意见${X}` };
    case 'redaction':
      // Well formed, but no comment has these words (or the sender may not redact).
      return { text: `从未出现的文字${X}`, reason: '个人信息' };
    default:
      return null;
  }
}

/** A JSON body each mutating API route must refuse: each kind breaks a field the schema requires. */
function refusedJson(r: Rng, kind: BodyKind, ctx: Context): string {
  const anyway = r.chance(0.3) ? refusedAnyway(r, kind, ctx) : null;
  if (anyway) return JSON.stringify(anyway);
  const extras: Array<[string, unknown]> = r.chance(0.3) ? [[r.pick(HOSTILE_KEYS.filter((k) => k.startsWith('$') || k.startsWith('__') || k === 'constructor')), hostileValue(r)]] : [];
  switch (kind) {
    case 'command': {
      const fields = {
        type: r.chance(0.8) ? r.pick(EVENT_TYPES) : hostileValue(r),
        ...hostileFields(r, ['note', 'title', 'body', 'reasons', 'patch', 'endsAt', 'opinion', 'meeting', 'documentNumber', 'url', 'form', 'document', 'effectiveOn', 'expiresOn'], r.int(0, 4)),
        version: r.pick(BAD_VERSIONS_JSON),
      };
      if (r.chance(0.1)) delete (fields as Record<string, unknown>).version;
      return objectJson(fields, extras);
    }
    case 'newFiling': {
      const badTitle = r.pick<unknown>(['', '   ', 'x'.repeat(201), 42, null, [], ...hostileObjects()]);
      return objectJson({ ...hostileFields(r, ['body', 'coDepartments', 'particulars', 'interpretation'], r.int(0, 3)), title: badTitle, body: r.chance(0.5) ? `正文${X}` : hostileValue(r) }, extras);
    }
    case 'disposal': {
      const badOutcome = r.pick<unknown>([...HOSTILE_STRINGS.slice(0, 20), ...hostileObjects()]);
      const ids = r.chance(0.5) ? { commentIds: r.chance(0.5) ? world.commentIds.slice(0, 3) : hostileValue(r) } : { clusterId: r.chance(0.5) ? world.clusterId : hostileValue(r) };
      return objectJson({ ...ids, outcome: badOutcome, reason: r.chance(0.5) ? X : hostileValue(r) }, extras);
    }
    case 'redaction': {
      const badReason = r.pick<unknown>(['', '   ', 'x'.repeat(501), 42, null, [X], ...hostileObjects()]);
      return objectJson({ ...hostileFields(r, ['text', 'start', 'end'], r.int(0, 3)), reason: badReason }, extras);
    }
    case 'comment': {
      const badBody = r.pick<unknown>(['', '   ', 'x'.repeat(2001), 12, null, true, [X], ...hostileObjects()]);
      return objectJson({ ...hostileFields(r, ['article', 'paragraph', 'name', 'email', 'phone'], r.int(0, 3)), body: badBody }, extras);
    }
    default:
      return objectJson(hostileFields(r, HOSTILE_KEYS, r.int(0, 4)), extras);
  }
}

const FORM_KEYS = ['type', 'version', 'title', 'body', 'note', 'reasons', 'outcome', 'reason', 'commentIds', 'clusterId', 'back', 'token', 'article', 'name', 'email', 'endsAt', 'patch[plan]', '__proto__', '__proto__[polluted]', 'constructor[prototype][polluted]', '$where', 'stage[$ne]'];

/** A form body each mutating form route must refuse, with its CSRF token valid or not. */
function refusedForm(r: Rng, kind: BodyKind, ctx: Context, token: string): Array<[string, string]> {
  const { csrfValid } = ctx;
  const hostile = (): string => String(r.pick(HOSTILE_STRINGS)).slice(0, r.chance(0.9) ? 300 : 12_000);
  const fields: Array<[string, string]> = [];
  for (let i = r.int(0, 5); i > 0; i--) fields.push([r.pick(FORM_KEYS), hostile()]);
  switch (kind) {
    case 'commentForm':
      // Valid token: the content itself is refused (empty, overlong, bad e-mail or article),
      // or the draft is not open for comment.
      if (csrfValid && ctx.filingId !== world.filings.open && r.chance(0.3)) fields.push(['body', `意见${X}`], ['article', '1']);
      else if (csrfValid) {
        const broken = r.int(0, 3);
        fields.push(['body', broken === 0 ? '  ' : broken === 1 ? 'x'.repeat(2001) : `意见${X}`]);
        if (broken === 2) fields.push(['email', r.pick(['not-an-email', X, '@', 'a@b'])]);
        if (broken === 3) fields.push(['article', r.pick(['0', 'abc', '99999', '-1', '1.5'])]);
      } else fields.push(['body', `伪造的意见${X}`]);
      break;
    case 'loginForm':
      fields.push(['token', csrfValid ? r.pick(['', 'pd_', `pd_${'a'.repeat(40)}`, X, 'pd_\u0000', hostile()]) : h.tokens[r.pick(staffKeys)]]);
      break;
    case 'newFilingForm':
      // A drafter's valid post would create a filing: the title is broken unless no drafter sends it.
      if (csrfValid && ctx.auth === 'session' && isDrafter(ctx.who)) fields.push(['title', r.pick(['', '   ', 'x'.repeat(201)])]);
      else fields.push(['title', `伪造的文件${MARKUP[0]}`]);
      fields.push(['body', `正文${X}`], ['coDepartments', `${CO}\n${X}`]);
      break;
    case 'commandForm': {
      const id = r.pick(Object.values(world.filings));
      fields.push(['type', r.chance(0.9) ? r.pick(EVENT_TYPES) : hostile()]);
      fields.push(['version', csrfValid ? r.pick(BAD_VERSIONS_FORM) : String(world.versions[id] ?? 1)]);
      fields.push(['note', X], ['opinion', X], ['meeting', X], ['documentNumber', '某政发〔2026〕1号'], ['reasons', r.pick([...REASON_CODES])]);
      break;
    }
    case 'disposalForm':
      // Only the lead drafter's valid post could answer comments: theirs has a broken outcome.
      if (csrfValid && ctx.auth === 'session' && ctx.who === 'drafter') fields.push(['outcome', r.pick(['', 'rejected', X, 'ADOPTED', '__proto__', 'adopted2'])]);
      else fields.push(['outcome', 'adopted']);
      fields.push(r.chance(0.5) ? ['clusterId', world.clusterId] : ['commentIds', r.pick(world.commentIds)]);
      fields.push(['back', r.pick(['//evil.example/', 'https://evil.example', '/console/filings/../../x', 'javascript:alert(1)', `/console/${X}`])]);
      break;
    case 'redactionForm':
      // Words no comment has: refused even where the sender may redact and the token is good.
      fields.push(['commentId', r.pick(world.commentIds)], ['text', `从未出现的文字${X}`], ['reason', r.pick(['个人信息', '', X])]);
      fields.push(['back', r.pick(['//evil.example/', 'https://evil.example', `/console/${X}`])]);
      break;
    default:
      break;
  }
  // Shuffle, and put the token in (or not).
  for (let i = fields.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [fields[i], fields[j]] = [fields[j], fields[i]];
  }
  if (token) fields.unshift(['_csrf', token]);
  if (r.chance(0.05)) fields.push(['_csrf', token || 'f'.repeat(64)]);
  return fields;
}

// ---------------------------------------------------------------------------------------------
// One storm case.

interface Case {
  n: number;
  /** The registered route it aims at, or the path template when the method is not registered there. */
  target: string;
  req: RawRequest;
  what: string;
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-7',
  'application/json; charset=utf-16',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/vnd.api+json',
  'application/json, text/html',
  '*/*',
  '',
];
const ENCODINGS = ['gzip', 'deflate', 'br', 'x-custom', 'identity', 'gzip, gzip'];
const BAD_AUTH = [
  'Bearer',
  'Bearer ',
  'Bearer pd_doesnotexist',
  `Bearer pd_${'a'.repeat(300)}`,
  'Bearer pd_&&&;--',
  'Bearer {"$gt":""}',
  'Bearer [object Object]',
  'bearer pd_x',
  'Basic dXNlcjpwYXNz',
  'Bearer __proto__',
  'Bearer pd_x, Bearer pd_y',
];
const METHODS_EXTRA = ['HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'POST', 'GET'];
/** Sent to every route once each, besides its own method. */
const SWEEP_METHODS = ['HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'];

/** `forced`: this route with this method (the sweep); else both drawn at random. */
function makeCase(r: Rng, n: number, routes: RegisteredRoute[], forced?: { route: RegisteredRoute; method: string }): Case {
  const route = forced?.route ?? r.pick(routes);
  const method = forced?.method ?? (r.chance(0.75) ? route.method : r.pick(METHODS_EXTRA));
  const filled: Record<string, string> = {};
  const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => (filled[name] = paramValue(r, name)));
  const url = path + (r.chance(0.35) ? hostileQuery(r) : '');
  const headers: Record<string, string> = {};
  const notes: string[] = [];

  // Who is asking.
  const who = r.pick(staffKeys);
  const auth = r.int(0, 9);
  const cookies: string[] = [];
  if (auth <= 2) {
    headers.authorization = `Bearer ${h.tokens[who]}`;
    notes.push(`bearer:${who}`);
  } else if (auth === 3) {
    headers.authorization = r.pick(BAD_AUTH);
    notes.push('bad bearer');
  } else if (auth <= 6) {
    cookies.push(`pd_session=${world.sessions[who]}`);
    notes.push(`session:${who}`);
  } else if (auth === 7) {
    cookies.push(r.pick(['pd_session=garbage', `pd_session=${'A'.repeat(43)}`, 'pd_session=', 'pd_session=__proto__', `pd_session=${world.sessions[who]}x`]));
    notes.push('bad session');
  } else notes.push('anonymous');

  const key = `${method} ${route.path}`;
  const kind = MUTATIONS[key];
  let body: Buffer | undefined;
  const isForm = kind !== undefined && kind.endsWith('Form');
  const csrfMode = r.int(0, 5); // 0-2 valid, 3 none, 4 wrong, 5 other site's token or no cookie
  let csrfValid = false;
  if (isForm || r.chance(0.2)) {
    if (csrfMode <= 2 || csrfMode === 4) cookies.push(`pd_csrf=${world.nonce}`);
    if (csrfMode === 5 && r.chance(0.5)) cookies.push(`pd_csrf=${'0'.repeat(32)}`);
  }
  const ownToken = route.path.startsWith('/console') ? world.consoleToken : world.portalToken;
  const otherToken = route.path.startsWith('/console') ? world.portalToken : world.consoleToken;
  let token = '';
  if (csrfMode <= 2) {
    token = ownToken;
    csrfValid = kind !== 'logoutForm'; // a valid logout would change the sessions: never sent here
    if (!csrfValid) token = 'f'.repeat(64);
  } else if (csrfMode === 4) token = r.pick(['f'.repeat(64), ownToken.toUpperCase(), ownToken.slice(1), X]);
  else if (csrfMode === 5) token = otherToken;
  if (isForm) notes.push(`csrf:${csrfValid ? 'valid' : ['', '', '', 'none', 'wrong', 'foreign'][csrfMode]}`);
  const ctx: Context = { who, auth: auth <= 2 ? 'bearer' : auth <= 6 ? 'session' : 'none', csrfValid, filingId: filled.filingId ?? filled.id };

  const bodyShape = r.int(0, 19);
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    if (r.chance(0.1)) {
      body = Buffer.from(objectJson(hostileFields(r, HOSTILE_KEYS, 2)));
      headers['content-type'] = 'application/json';
      notes.push('body on a read');
    }
  } else if (bodyShape === 0) {
    // Over BODY_LIMIT (2mb) and over the forms' limits.
    body = Buffer.alloc(3 * 1024 * 1024, r.pick(['x', '{', '[', '%']));
    headers['content-type'] = r.pick(['application/json', 'application/x-www-form-urlencoded']);
    notes.push('3 MB');
  } else if (bodyShape <= 3) {
    const raw = r.pick(rawBodies());
    body = raw.body;
    headers['content-type'] = r.pick(['application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded']);
    notes.push(`raw:${raw.name}`);
  } else if (bodyShape === 4) {
    body = Buffer.from(kind && !isForm ? refusedJson(r, kind, ctx) : '{"a":1}');
    const type = r.pick(JSON_TYPES);
    if (type) headers['content-type'] = type;
    notes.push(`content-type:${type || 'none'}`);
  } else if (bodyShape === 5) {
    body = Buffer.from(r.chance(0.5) ? 'not gzip at all' : '\x1f\x8b\x08\x00garbage');
    headers['content-type'] = 'application/json';
    headers['content-encoding'] = r.pick(ENCODINGS);
    notes.push(`encoding:${headers['content-encoding']}`);
  } else if (bodyShape === 6) {
    body = Buffer.from(kind && !isForm ? refusedJson(r, kind, ctx) : formBody([['a', 'b']]));
    headers['content-type'] = isForm ? 'application/x-www-form-urlencoded' : 'application/json';
    headers['transfer-encoding'] = 'chunked';
    notes.push('chunked');
  } else if (isForm) {
    body = Buffer.from(formBody(refusedForm(r, kind, ctx, token)));
    headers['content-type'] = r.chance(0.95) ? 'application/x-www-form-urlencoded' : r.pick(JSON_TYPES.filter(Boolean));
    notes.push('form');
  } else if (kind) {
    body = Buffer.from(refusedJson(r, kind, ctx));
    headers['content-type'] = 'application/json';
    notes.push(`json:${kind}`);
  } else {
    body = Buffer.from(r.chance(0.5) ? objectJson(hostileFields(r, HOSTILE_KEYS, 3)) : formBody([['_csrf', token], ['x', X]]));
    headers['content-type'] = r.pick(['application/json', 'application/x-www-form-urlencoded']);
    notes.push('unrouted body');
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  if (r.chance(0.2)) headers.accept = r.pick(['text/html', 'application/json', '*/*', 'image/png', '']);
  return { n, target: `${method} ${route.path}`, req: { method, path: url, headers, body }, what: notes.join(' ') };
}

/** What is wrong with an answer, or null. Every write of the storm is meant to be refused. */
function judge(c: Case, res: RawResponse): string | null {
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 300)}`;
  if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
    const toLogin = res.status === 303 && res.headers.location === '/console/login';
    if (res.status < 400 && !toLogin) return `a request the storm meant to be refused was answered ${res.status} ${res.headers.location ?? ''}`;
  }
  if (res.status < 400) return null;
  const type = String(res.headers['content-type'] ?? '');
  if (isHtmlPath(c.req.path)) {
    if (!/^text\/html/.test(type)) return `${res.status} of a page is ${type || 'untyped'}, not HTML: ${res.text.slice(0, 200)}`;
    if (c.req.method !== 'HEAD' && !(/<html/i.test(res.text) && /[\u4e00-\u9fff]/.test(res.text))) return `${res.status} page without a Chinese HTML body`;
    return null;
  }
  if (!/^application\/json/.test(type)) return `${res.status} of the API is ${type || 'untyped'}, not JSON: ${res.text.slice(0, 200)}`;
  if (c.req.method === 'HEAD') return null;
  try {
    const error = JSON.parse(res.text).error;
    if (typeof error?.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(error.code)) return `${res.status} without a machine-readable error.code: ${res.text.slice(0, 200)}`;
    if (typeof error.message !== 'string' || !/[\u4e00-\u9fff]/.test(error.message)) return `${res.status} ${error.code} without a Chinese message`;
  } catch {
    return `${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`;
  }
  return null;
}

const describeCase = (c: Case) => {
  const body = c.req.body ? ` body(${c.req.body.length}B)=${c.req.body.subarray(0, 160).toString('utf8').replace(/\s+/g, ' ')}` : '';
  return `seed=${SEED} case #${c.n} [${c.what}] ${c.req.method} ${c.req.path.slice(0, 200)}${body}`;
};

// ---------------------------------------------------------------------------------------------

describe('regressions: what the fuzzer found, pinned', () => {
  const page = (res: RawResponse) => ({ status: res.status, html: /^text\/html/.test(String(res.headers['content-type'])) });
  const signedIn = () => ({ cookie: `pd_session=${world.sessions.drafter}` });

  test('a repeated or overlong search on the public lists is ignored, not a 500', async () => {
    for (const path of [`/consultations?q=${'长'.repeat(101)}`, '/consultations?q=a&q=b', `/documents?q=${'x'.repeat(101)}`, '/documents?q=a&q=b']) {
      expect({ path, ...page(await client.send({ method: 'GET', path: encodeURI(path) })) }).toEqual({ path, status: 200, html: true });
    }
  });

  test('refusals under the public site and the console are HTML pages, not the API JSON', async () => {
    const { open } = world.filings;
    const cases: Array<[RawRequest, number]> = [
      [{ method: 'PUT', path: '/consultations' }, 404],
      [{ method: 'DELETE', path: `/consultations/${open}/comment`, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') }, 404],
      [{ method: 'POST', path: '/', headers: { 'content-type': 'text/plain' }, body: Buffer.from('x') }, 404],
      [{ method: 'GET', path: `/consultations/${open}/nowhere` }, 404],
      [{ method: 'GET', path: '/consultations/%ED%A0%80/comment' }, 400],
      [{ method: 'GET', path: '/documents/%C0%AF' }, 400],
      [{ method: 'POST', path: `/consultations/${open}/comment`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`body=${'x'.repeat(30_000)}`) }, 413],
      [{ method: 'GET', path: '/console/nowhere', headers: signedIn() }, 404],
      [{ method: 'GET', path: `/console/filings/${open}/events`, headers: signedIn() }, 404],
      [{ method: 'PATCH', path: '/console/filings', headers: signedIn() }, 404],
      [{ method: 'GET', path: '/console/filings/%zz/consultation', headers: signedIn() }, 400],
      [{ method: 'POST', path: '/console/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`token=${'x'.repeat(1_100_000)}`) }, 413],
    ];
    for (const [req, status] of cases) {
      const res = await client.send(req);
      expect({ req: `${req.method} ${req.path}`, ...page(res), chinese: /[\u4e00-\u9fff]/.test(res.text) }).toEqual({ req: `${req.method} ${req.path}`, status, html: true, chinese: true });
    }
  });

  test('asking for the campaigns of a round the filing never had stores nothing', async () => {
    const before = await h.models.Clustering.countDocuments().exec();
    for (const [id, round] of [[world.filings.disposition, 7], [world.filings.draft, 1]] as const) {
      const res = await json('GET', `/filings/${id}/consultations/${round}/clusters`, undefined, 'assessor');
      expect({ status: res.status, code: JSON.parse(res.text).error?.code }).toEqual({ status: 404, code: 'CONSULTATION_NOT_FOUND' });
      const listed = await json('GET', `/filings/${id}/comments?round=${round}&clusterId=${world.clusterId}`, undefined, 'drafter');
      expect(listed.status).toBe(404);
    }
    expect(await h.models.Clustering.countDocuments().exec()).toBe(before);
  });
});

describe('hostile input (seeded fuzzing of every route)', () => {
  // Read from the app in each test, so any one of them can run alone (jest -t).
  let routes: RegisteredRoute[] = [];
  beforeAll(() => {
    routes = registeredRoutes(h.app);
  });
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const hits = new Map<string, number>();

  test('the fuzzer knows every route the app registers', () => {
    expect(routes.length).toBeGreaterThan(30);
    // The routes enumerate from the app itself: a new one is fuzzed automatically, provided the
    // fuzzer knows its parameters and, for a mutating route, how to send it bodies it must refuse.
    const unknownParams = routes.flatMap((r) => paramsOf(r.path)).filter((p) => !['id', 'filingId', 'round', 'version', 'receipt', 'messageId', 'commentId'].includes(p));
    expect(unknownParams).toEqual([]);
    const mutating = routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(mutating.filter((k) => !(k in MUTATIONS))).toEqual([]);
    expect(Object.keys(MUTATIONS).filter((k) => !mutating.includes(k))).toEqual([]);
    for (const expected of ['GET /health', 'GET /filings/:id', 'GET /console/filings/:id/diff', 'GET /public/reports/:filingId/:round/html', 'GET /documents/:filingId']) {
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(expected);
    }
  });

  test(`a storm of ${CASES} random refused requests and a sweep of every method on every route: no 5xx, typed refusals, nothing stored changes`, async () => {
    const r = rng(SEED);
    // First a sweep — every route with every method — then CASES requests drawn at random.
    const sweep = routes.flatMap((route) => [route.method, ...SWEEP_METHODS].map((method) => ({ route, method })));
    const cases = [...sweep.map((forced, n) => makeCase(r, n, routes, forced)), ...Array.from({ length: CASES }, (_, n) => makeCase(r, sweep.length + n, routes))];
    const before = await fingerprint(h.models);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const started = Date.now();
    await inParallel(cases, 16, async (c) => {
      hits.set(c.target, (hits.get(c.target) ?? 0) + 1);
      let res: RawResponse;
      try {
        res = await client.send(c.req);
      } catch (error) {
        failures.push(`${describeCase(c)} → no answer: ${(error as Error).message}`);
        return;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const problem = judge(c, res);
      if (problem) failures.push(`${describeCase(c)} → ${problem}`);
    });
    const elapsed = Date.now() - started;
    const after = await fingerprint(h.models);
    const answered = [...statuses].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status}×${count}`).join(' ');
    process.stdout.write(`[fuzz] seed=${SEED}: ${cases.length} storm requests over ${routes.length} routes in ${elapsed} ms; answers ${answered}\n`);

    expect({ count: failures.length, first: failures.slice(0, 25) }).toEqual({ count: 0, first: [] });
    // (3) Refused requests and reads change nothing: every document of every collection is as it was —
    // but the security audit trail, which records failed sign-ins and reads of personal data: to it
    // entries are only ever added (its head moves along), never changed or removed.
    const changes = fingerprintChanges(before, after);
    expect(changes.filter((c) => !c.startsWith('security_audit'))).toEqual([]);
    expect(changes.filter((c) => c.startsWith('security_audit/') && !c.endsWith(' added'))).toEqual([]);
    // Every registered route was aimed at, over and over.
    const missed = routes.filter((rt) => (hits.get(`${rt.method} ${rt.path}`) ?? 0) < 20).map((rt) => `${rt.method} ${rt.path}: ${hits.get(`${rt.method} ${rt.path}`) ?? 0}`);
    expect(missed).toEqual([]);
    // Sized for a loaded machine: thousands of requests, each a few milliseconds when idle.
  }, 600_000);

  test('the service stays up and still works after the storm', async () => {
    expect((await client.send({ method: 'GET', path: '/health' })).status).toBe(200);
    const list = await json('GET', '/filings?stage=drafting', undefined, 'drafter');
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text).items.length).toBeGreaterThan(0);
    const created = await json('POST', '/filings', { title: '风暴之后的正常文件', body: '第一条 正常。' }, 'drafter');
    expect(created.status).toBe(201);
    const receipt = await comment(world.filings.open, { body: '风暴之后的正常意见' });
    expect(receipt).toMatch(/^YJ[0-9A-Z]{10}$/);
    const page = await client.send({ method: 'GET', path: '/console', headers: { cookie: `pd_session=${world.sessions.drafter}` } });
    expect(page.status).toBe(200);
  });

  test('Object.prototype is not polluted', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    const probe = {} as Record<string, unknown>;
    for (const key of ['polluted', 'isAdmin', 'x', '$where', 'type', 'version']) expect(probe[key]).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
    expect(Array.prototype).not.toHaveProperty('polluted');
  });

  test('every page escapes what it shows: markup from staff and the public is text, never live', async () => {
    const { open, disposition, published, draft } = world.filings;
    const q = percentEncode(X);
    const browser = { cookie: `pd_csrf=${world.nonce}` };
    const as = (who: StaffKey) => ({ cookie: `pd_csrf=${world.nonce}; pd_session=${world.sessions[who]}` });
    const pages: RawRequest[] = [
      '/',
      '/consultations',
      '/consultations?status=closed',
      `/consultations?q=${q}`,
      `/consultations?status=closed&q=${percentEncode(MARKUP[0])}`,
      `/consultations/${open}`,
      `/consultations/${open}/comments`,
      `/consultations/${open}/comments?article=1`,
      `/consultations/${open}/comment`,
      `/consultations/${open}/comment?article=${q}`,
      `/consultations/${published}`,
      `/consultations/${published}/comments`,
      `/consultations/${draft}`,
      '/receipts',
      `/receipts?code=${q}`,
      ...world.receipts.map((code) => `/receipts?code=${code}`),
      `/reports/${published}/1`,
      `/reports/${published}/${q}`,
      `/public/reports/${published}/1/html`,
      '/documents',
      `/documents?q=${q}`,
      `/documents/${published}`,
      `/documents/${q}`,
    ].map((path) => ({ method: 'GET', path, headers: browser }));
    for (const who of ['drafter', 'assessor', 'publisher'] as StaffKey[]) {
      pages.push(
        ...[
          '/console',
          '/console/tasks',
          `/console?department=${q}&stage=${q}`,
          `/console/statistics?department=${q}`,
          '/console/filings/new',
          ...Object.values(world.filings).map((id) => `/console/filings/${id}`),
          `/console/filings/${published}/diff?from=1&to=2`,
          `/console/filings/${disposition}/consultation/1`,
          `/console/filings/${disposition}/consultation/1?view=masked&cluster=${world.clusterId}`,
          `/console/filings/${disposition}/consultation/1/report`,
          `/console/filings/${published}/consultation/1/report`,
          `/console/filings/${q}`,
        ].map((path) => ({ method: 'GET', path, headers: as(who) })),
      );
    }
    // Forms sent back with an error show what was typed: escaped too.
    pages.push({
      method: 'POST',
      path: `/consultations/${open}/comment`,
      headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(formBody([['_csrf', world.portalToken], ['body', `意见${X}`], ['name', X.slice(0, 50)], ['email', MARKUP[1]]])),
    });
    pages.push({
      method: 'POST',
      path: '/console/filings',
      headers: { ...as('drafter'), 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(formBody([['_csrf', world.consoleToken], ['title', ''], ['body', X], ['coDepartments', X]])),
    });
    pages.push({
      method: 'POST',
      path: `/console/filings/${open}/events`,
      headers: { ...as('drafter'), 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(formBody([['_csrf', world.consoleToken], ['type', 'WITHDRAW'], ['version', '1'], ['note', X]])),
    });

    const problems: string[] = [];
    const seen: string[] = [];
    for (const page of pages) {
      const res = await client.send(page);
      const label = `${page.method} ${page.path.slice(0, 120)} (${page.headers?.cookie?.includes('pd_session') ? 'signed in' : 'public'})`;
      if (res.status >= 500) problems.push(`${label} → ${res.status}`);
      if (!/text\/html/.test(String(res.headers['content-type']))) {
        if (res.status < 300) problems.push(`${label} → ${res.status} not HTML`);
        continue;
      }
      seen.push(res.text);
      const live = liveMarkup(res.text);
      if (live.length > 0) problems.push(`${label} → live markup: ${live.slice(0, 3).join(' | ')}`);
      for (const payload of MARKUP.filter((m) => /[<>"']/.test(m))) {
        if (res.text.includes(payload)) problems.push(`${label} → unescaped payload ${payload}`);
      }
    }
    expect(problems).toEqual([]);
    // The payloads did reach the pages — as text.
    const all = seen.join('\n');
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    expect(all).toContain('constructor.constructor(');
  }, 300_000);
});
