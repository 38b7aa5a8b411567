/**
 * R1 over HTTP: a document public on application or not public is issued at signing and never
 * reaches the public site; the publisher cannot publish it and is not asked to; nothing counts it
 * as a late publication. Filings stored before the rule are brought in line, and the public site
 * hides a document published by mistake before it.
 */
import request from 'supertest';
import { consoleSessions } from '../support/console';
import { DeadlineNotices } from '../../src/schedule/deadlines';
import { reconcileFilings } from '../../src/store/reconcile';
import type { OutboxRecord } from '../../src/store/models';
import { cstYear } from '../../src/statistics';
import { LEAD } from '../support/fixtures';
import { filingAt, startHarness, type Harness, type StaffKey } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

const toSigning = ['awaitingIntake', 'review', 'awaitingDecision', 'signing'] as const;
const signedIn = consoleSessions(() => h);

async function send(who: StaffKey, id: string, body: Record<string, unknown>) {
  const { version } = (await h.as('assessor').get(`/filings/${id}`)).body;
  return h.as(who).post(`/filings/${id}/events`, { version, ...body });
}

async function outbox(id: string): Promise<OutboxRecord[]> {
  return ((await h.models.Filing.findById(id, { outbox: 1 }).lean().exec()) as { outbox: OutboxRecord[] }).outbox;
}

async function publications() {
  const year = cstYear(new Date());
  const row = (await h.services.statistics.yearly(year, { department: LEAD })).departments.find((d) => d.department === LEAD);
  return row!.publications;
}

const notPublic = (title: string) => ({
  title,
  particulars: { disclosure: { attribute: 'notPublic' as const, reason: '属于内部管理事项，公开后可能影响正常履职' } },
});

describe('R1: not proactively public → issued, never published', () => {
  test.each([
    ['notPublic', '关于机关内部值班管理的通知（甲）'],
    ['onApplication', '关于某企业专项补助资金拨付的批复（乙）'],
  ] as const)('%s: signing issues it; PUBLISH is refused; the site never shows it', async (attribute, title) => {
    const before = await publications();
    const id = await filingAt(h, [...toSigning], {
      title,
      particulars: { disclosure: { attribute, reason: '涉及第三方合法权益，依法不主动公开' } },
    });
    const signed = await send('signer', id, { type: 'SIGN', documentNumber: '某政办发〔2026〕21号' });
    expect(signed.status).toBe(200);
    expect(signed.body.stage).toBe('issued');
    expect(signed.body.stageLabel).toBe('已印发（不主动公开）');
    expect(signed.body.deadline).toBeNull();
    expect(signed.body.context.signing).toMatchObject({ documentNumber: '某政办发〔2026〕21号', by: { role: 'signer' } });

    const publish = await send('publisher', id, { type: 'PUBLISH' });
    expect(publish.status).toBe(409);
    expect(publish.body.error).toMatchObject({ code: 'EVENT_NOT_ALLOWED', event: 'PUBLISH', stage: 'issued', allowedEvents: [] });

    // The departments hear that it is issued; nobody is asked to publish it.
    const mails = (await outbox(id)).filter((m) => m.seq === signed.body.version);
    expect(mails.map((m) => m.template).every((t) => t === 'document-issued')).toBe(true);
    expect(mails.map((m) => m.to.email).sort()).toEqual(['coDrafter@example.gov.cn', 'coHead@example.gov.cn', 'drafter@example.gov.cn', 'head@example.gov.cn']);
    expect(mails[0].text).toContain('某政办发〔2026〕21号');
    expect(mails[0].text).toContain('不在政府网站公开发布');
    const tasks = await h.as('publisher').get('/filings?tasks=true').expect(200);
    expect(tasks.body.items.map((f: { id: string }) => f.id)).not.toContain(id);

    // Nothing of it on the public site.
    expect((await request(h.app).get(`/documents/${id}`)).status).toBe(404);
    expect((await request(h.app).get('/documents').expect(200)).text).not.toContain(title);
    // The search echoes what was asked; the document's link is what must be absent.
    expect((await request(h.app).get(`/documents?q=${encodeURIComponent(title)}`).expect(200)).text).not.toContain(`/documents/${id}`);

    // Not a publication, so neither on time nor late.
    expect(await publications()).toEqual(before);

    // The console says how it ended.
    const page = await (await signedIn('drafter')).get(`/console/filings/${id}`).expect(200);
    expect(page.text).toContain('已印发（不主动公开）');
    expect(page.text).toContain('本件已印发');
    expect(page.text).toContain('某政办发〔2026〕21号');
  }, 120_000);

  test('a normative document not proactively public is returned at intake (R1, R17)', async () => {
    const id = await filingAt(h, [], {
      title: '关于规范行政事业性收费的若干规定',
      particulars: {
        documentKind: 'normative',
        opinionsSolicitedOffline: true,
        adoptionReport: { summary: '共收到意见5条，采纳3条', commentCount: 5, adoptedCount: 3 },
        disclosure: { attribute: 'onApplication', reason: '涉及收费单位信息' },
      },
    });
    await send('drafter', id, { type: 'REQUEST_INTERPRETATION_APPROVAL' });
    await send('head', id, { type: 'APPROVE_INTERPRETATION' });
    await send('drafter', id, { type: 'FINALIZE_TEXT' });
    const submit = await send('head', id, { type: 'SUBMIT' });
    expect(submit.status).toBe(422);
    expect(submit.body.error.deficiencies.map((d: { code: string }) => d.code)).toEqual(['R1_NORMATIVE_NOT_PROACTIVE']);
    expect(submit.body.filing.stage).toBe('returned');
  });
});

describe('defence in depth and stored filings', () => {
  test('a document published by mistake before the rule is no longer on the public site', async () => {
    const title = '关于内部考核办法的通知（误发布）';
    const id = await filingAt(h, [...toSigning, 'awaitingPublication', 'published'], { title });
    expect((await request(h.app).get(`/documents?q=${encodeURIComponent('误发布')}`).expect(200)).text).toContain(`/documents/${id}`);
    // As a filing marked not public that the old chart let through to publication.
    await h.models.Filing.updateOne(
      { _id: id },
      { $set: { 'snapshot.context.particulars.disclosure': { attribute: 'notPublic', reason: '内部事项' } } },
    ).exec();
    expect((await request(h.app).get(`/documents/${id}`)).status).toBe(404);
    expect((await request(h.app).get('/documents').expect(200)).text).not.toContain(title);
    expect((await request(h.app).get(`/documents?q=${encodeURIComponent('误发布')}`).expect(200)).text).not.toContain(`/documents/${id}`);
  });

  test('one signed under the old chart and awaiting publication is issued at start-up, and is no late publication', async () => {
    const id = await filingAt(h, [...toSigning, 'awaitingPublication'], notPublic('关于某专项资金分配的请示（旧）'));
    // As the old chart left it: version 4, awaiting publication, its R6 limit long passed.
    const past = new Date(Date.now() - 20 * 86_400_000);
    await h.models.Filing.updateOne(
      { _id: id },
      {
        $set: {
          'snapshot.machineVersion': 4,
          'snapshot.value': 'awaitingPublication',
          stage: 'awaitingPublication',
          deadlineAt: past,
          reminderAt: past,
          alertAt: past,
        },
      },
    ).exec();

    expect((await reconcileFilings(h.models)).issued).toBe(1);
    expect((await reconcileFilings(h.models)).issued).toBe(0);
    const stored = await h.models.Filing.findById(id).lean().exec();
    expect(stored).toMatchObject({ stage: 'issued', deadlineAt: null, reminderAt: null, alertAt: null });

    const view = (await h.as('publisher').get(`/filings/${id}`).expect(200)).body;
    expect(view).toMatchObject({ stage: 'issued', allowedEvents: [], deadline: null });
    const overdue = await h.as('publisher').get('/filings?deadline=overdue').expect(200);
    expect(overdue.body.items.map((f: { id: string }) => f.id)).not.toContain(id);
    const mailsBefore = (await outbox(id)).length;
    await new DeadlineNotices(h.services).runOnce();
    expect((await outbox(id)).length).toBe(mailsBefore);
  });
});
