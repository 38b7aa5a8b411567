/**
 * R1 in the chart: the disclosure attribute governs publication. A document public on
 * application (依申请公开) or not public (不予公开) is issued (印发) at signing and never published;
 * rules and normative documents must be proactively public (R17); snapshots stored by the older
 * chart are lifted.
 */
import { checkCompleteness } from '../../machines/completeness';
import type { Particulars } from '../../machines/dossier';
import { openFiling, persist, restore, stageOf, step, type FilingSnapshot } from '../../machines/engine';
import { completenessInputOf, type FilingEvent } from '../../machines/filing.machine';
import { migrateSnapshot } from '../../machines/migrations';
import { DEADLINE_NOTICES, ruleFor } from '../../machines/notifications';
import { actor, AT, completeInterpretation, drafter, head, input, plainParticulars } from '../support/fixtures';

const clerk = actor('clerk');
const legal = actor('legalReviewer');
const secretary = actor('meetingSecretary');
const signer = actor('signer');
const publisher = actor('publisher');

type Unstamped = FilingEvent extends infer E ? (E extends FilingEvent ? Omit<E, 'at'> : never) : never;

function send(snapshot: FilingSnapshot, event: Unstamped): FilingSnapshot {
  return restore(persist(step(snapshot, { at: AT, ...event } as FilingEvent)));
}

/** A complete filing with these particulars, taken by the pure chart up to signing. */
function atSigning(particulars: Particulars): FilingSnapshot {
  let s = openFiling(input(particulars, completeInterpretation()), AT, drafter);
  s = send(s, { type: 'REQUEST_INTERPRETATION_APPROVAL', actor: drafter });
  s = send(s, { type: 'APPROVE_INTERPRETATION', actor: head });
  s = send(s, { type: 'FINALIZE_TEXT', actor: drafter });
  s = send(s, { type: 'SUBMIT', actor: head });
  s = send(s, { type: 'ACCEPT', actor: clerk });
  s = send(s, { type: 'PASS_LEGALITY_REVIEW', actor: legal, opinion: '合法' });
  s = send(s, { type: 'ADOPT', actor: secretary, meeting: '第1次常务会议' });
  expect(stageOf(s)).toBe('signing');
  return s;
}

const withAttribute = (attribute: 'proactive' | 'onApplication' | 'notPublic', reason: string | null = null): Particulars => ({
  ...plainParticulars(),
  disclosure: { attribute, reason },
});

describe('R1: signing ends a filing by its disclosure attribute', () => {
  test('a proactively public document awaits publication', () => {
    const signed = send(atSigning(withAttribute('proactive')), { type: 'SIGN', actor: signer, documentNumber: '某政发〔2026〕1号' });
    expect(stageOf(signed)).toBe('awaitingPublication');
    expect(signed.can({ type: 'PUBLISH', at: AT, actor: publisher })).toBe(true);
  });

  test.each([
    ['onApplication', '涉及第三方合法权益'],
    ['notPublic', '属于内部管理事项'],
  ] as const)('a document %s is issued, recorded, and can never be published', (attribute, reason) => {
    const signed = send(atSigning(withAttribute(attribute, reason)), { type: 'SIGN', actor: signer, documentNumber: '某政办发〔2026〕7号' });
    expect(stageOf(signed)).toBe('issued');
    expect(signed.status).toBe('done');
    // Who signed, the document number and the day it was issued.
    expect(signed.context.signing).toEqual({ at: AT, by: signer, documentNumber: '某政办发〔2026〕7号' });
    expect(signed.context.publication).toBeNull();
    expect(signed.can({ type: 'PUBLISH', at: AT, actor: publisher })).toBe(false);
    // Nothing follows: no follow-up interpretation or validity mark of a document nobody sees.
    expect(signed.can({ type: 'ADD_FOLLOW_UP', at: AT, actor: drafter, form: 'policyQa', title: 't', body: 'b', url: null, concern: null })).toBe(false);
  });

  test('the departments are told, nobody is asked to publish, and no publication deadline runs', () => {
    const rule = ruleFor('SIGN', 'issued');
    expect(rule).toBeDefined();
    const roles = rule!.notify.flatMap((n) => n.to.map((a) => a.role));
    expect(roles).toEqual(expect.arrayContaining(['drafter', 'departmentHead']));
    expect(roles).not.toContain('publisher');
    expect(rule!.notify.map((n) => n.template)).toEqual(['document-issued']);
    expect(DEADLINE_NOTICES.issued).toBeUndefined();
  });
});

describe('R1 with R17: rules and normative documents must be proactively public', () => {
  const consulted = (documentKind: 'rule' | 'normative' | 'other', attribute: 'onApplication' | 'notPublic' | 'proactive', reason: string | null) => ({
    particulars: {
      ...withAttribute(attribute, reason),
      documentKind,
      opinionsSolicitedOffline: true,
      adoptionReport: { summary: '共收到意见3条，采纳2条', commentCount: 3, adoptedCount: 2 },
    },
    interpretation: completeInterpretation(),
    interpretationApproved: true,
    consultationHeld: false,
  });

  test.each(['rule', 'normative'] as const)('a %s marked anything but proactive is a deficiency, whatever the reason', (kind) => {
    for (const [attribute, reason] of [['onApplication', '涉及第三方'], ['notPublic', null]] as const) {
      const found = checkCompleteness(consulted(kind, attribute, reason));
      expect(found).toEqual([
        { code: 'R1_NORMATIVE_NOT_PROACTIVE', rule: 'R1', field: 'particulars.disclosure.attribute', message: expect.stringContaining('主动公开') },
      ]);
    }
    expect(checkCompleteness(consulted(kind, 'proactive', null))).toEqual([]);
  });

  test('any other document may be public on application with its reason', () => {
    expect(checkCompleteness(consulted('other', 'onApplication', '涉及第三方'))).toEqual([]);
  });

  test('so a normative document not proactively public is refused at intake', () => {
    let s = openFiling(input({ ...consulted('normative', 'notPublic', '内部事项').particulars }, completeInterpretation()), AT, drafter);
    s = send(s, { type: 'REQUEST_INTERPRETATION_APPROVAL', actor: drafter });
    s = send(s, { type: 'APPROVE_INTERPRETATION', actor: head });
    s = send(s, { type: 'FINALIZE_TEXT', actor: drafter });
    s = send(s, { type: 'SUBMIT', actor: head });
    expect(stageOf(s)).toBe('returned');
    expect(s.context.returns.at(-1)!.reasons.map((r) => r.code)).toEqual(['R1_NORMATIVE_NOT_PROACTIVE']);
    expect(checkCompleteness(completenessInputOf(s.context)).map((d) => d.code)).toEqual(['R1_NORMATIVE_NOT_PROACTIVE']);
  });
});

describe('v4 → v5: a stored document not proactively public that awaits publication is issued', () => {
  const v4 = (value: unknown, attribute: string, publication: unknown = null) => {
    const stored = persist(atSigning(withAttribute('proactive')));
    const context = stored.context as { particulars: Particulars; signing: unknown };
    return {
      ...stored,
      machineVersion: 4,
      value,
      status: 'active',
      context: {
        ...context,
        particulars: { ...context.particulars, disclosure: { attribute, reason: '涉及第三方合法权益' } },
        signing: { at: AT, by: signer, documentNumber: '某政发〔2026〕3号' },
        publication,
      },
    };
  };

  test.each(['onApplication', 'notPublic'])('%s awaiting publication: issued, with the signing it carries', (attribute) => {
    const restored = restore(v4('awaitingPublication', attribute));
    expect(stageOf(restored)).toBe('issued');
    expect(restored.status).toBe('done');
    expect(restored.context.signing).toMatchObject({ documentNumber: '某政发〔2026〕3号' });
    expect(restored.can({ type: 'PUBLISH', at: AT, actor: publisher })).toBe(false);
  });

  test('a proactive one still awaits publication; one already published stays published', () => {
    expect(stageOf(restore(v4('awaitingPublication', 'proactive')))).toBe('awaitingPublication');
    const publication = { at: AT, by: publisher, textVersion: 1, interpretation: completeInterpretation(), url: null };
    const published = migrateSnapshot(v4('published', 'notPublic', publication));
    expect(published.value).toBe('published');
  });

  test('only the root state is looked at: open filings are untouched', () => {
    const open = v4({ open: 'signing' }, 'notPublic');
    expect(stageOf(restore(open))).toBe('signing');
  });
});
