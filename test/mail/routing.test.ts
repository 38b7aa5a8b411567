/** R19: every transition the chart can take has a routing rule (an empty one means "nobody"). */
import { stageOf } from '../../machines/engine';
import { MAIL_TEMPLATES, NOTIFICATION_RULES, noticeApplies, ruleFor } from '../../machines/notifications';
import { isDepartmentRole } from '../../machines/roles';
import { traverse } from '../support/traversal';

describe('mail routing rules', () => {
  const edges = traverse().filter((e) => e.state.can(e.event));

  test('every transition reached by the traversal of the chart has a rule', () => {
    const missing = new Set<string>();
    for (const e of edges) {
      const to = stageOf(e.nextState);
      if (!ruleFor(e.event.type, to)) missing.add(`${e.event.type} → ${to}`);
    }
    expect([...missing]).toEqual([]);
  });

  test('every rule is reachable: no dead routing', () => {
    const taken = new Set(edges.map((e) => `${e.event.type} → ${stageOf(e.nextState)}`));
    expect(NOTIFICATION_RULES.map((r) => `${r.event} → ${r.to}`).filter((k) => !taken.has(k))).toEqual([]);
  });

  test('one rule per event and stage reached', () => {
    const keys = NOTIFICATION_RULES.map((r) => `${r.event} → ${r.to}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('rules name known templates, and department scopes only on department roles', () => {
    for (const rule of NOTIFICATION_RULES) {
      for (const notice of rule.notify) {
        expect(MAIL_TEMPLATES).toContain(notice.template);
        for (const audience of notice.to) {
          expect({ rule: rule.event, audience, ok: isDepartmentRole(audience.role) || audience.departments === undefined }).toMatchObject({ ok: true });
        }
      }
    }
  });

  test('the fair competition reviewer hears of a review only when R12 applies', () => {
    const accepts = edges.filter((e) => e.event.type === 'ACCEPT');
    const rule = ruleFor('ACCEPT', 'review')!;
    const fair = rule.notify.find((n) => n.to.some((a) => a.role === 'fairCompetitionReviewer'))!;
    const outcomes = new Set(accepts.map((e) => noticeApplies(fair, [...e.nextState._nodes].map((n) => n.path.join('.')))));
    expect(outcomes).toEqual(new Set([true, false]));
  });
});
