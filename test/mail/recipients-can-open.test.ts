/**
 * R19 with least privilege: nobody is e-mailed a link to a filing they cannot open. For every
 * transition the chart can take (its own traversal), every notice that applies is addressed to
 * people who may read the filing in the state reached; so is every deadline notice.
 */
import { stageOf } from '../../machines/engine';
import { DEADLINE_NOTICES, noticeApplies, ruleFor, type Audience, type Notice } from '../../machines/notifications';
import { canView, filedWithOffice, type FilingVisibilityFacts } from '../../machines/permissions';
import { isDepartmentRole } from '../../machines/roles';
import type { FilingSnapshot } from '../../machines/engine';
import { actor, CO, LEAD } from '../support/fixtures';
import { traverse } from '../support/traversal';

function facts(snapshot: FilingSnapshot): FilingVisibilityFacts {
  return { leadDepartment: LEAD, coDepartments: [CO], sharedWithOffice: filedWithOffice(snapshot.context), stage: stageOf(snapshot) };
}

/** One member of the audience per department it names. */
function members(audience: Audience) {
  if (!isDepartmentRole(audience.role)) return [actor(audience.role)];
  const departments = audience.departments === 'co' ? [CO] : audience.departments === 'all' ? [LEAD, CO] : [LEAD];
  return departments.map((d) => actor(audience.role, d));
}

function unreadable(notices: readonly Notice[], snapshot: FilingSnapshot): string[] {
  const states = [...snapshot._nodes].map((n) => n.path.join('.'));
  return notices
    .filter((n) => noticeApplies(n, states))
    .flatMap((n) => n.to.flatMap(members).filter((who) => !canView(who, facts(snapshot))).map((who) => `${n.template} → ${who.role}@${who.department ?? 'office'}`));
}

describe('every e-mailed person can open the filing', () => {
  const edges = traverse().filter((e) => e.state.can(e.event));

  test('at every transition', () => {
    const problems = new Set<string>();
    for (const e of edges) {
      const rule = ruleFor(e.event.type, stageOf(e.nextState));
      for (const p of unreadable(rule?.notify ?? [], e.nextState)) problems.add(`${e.event.type} → ${stageOf(e.nextState)}: ${p}`);
    }
    expect([...problems]).toEqual([]);
  });

  test('for every reminder and alert of a time limit', () => {
    const problems = new Set<string>();
    let checked = 0;
    for (const e of edges) {
      const notices = DEADLINE_NOTICES[stageOf(e.nextState)];
      if (!notices) continue;
      checked++;
      for (const p of unreadable([...notices.reminder, ...notices.overdue], e.nextState)) problems.add(`${stageOf(e.nextState)}: ${p}`);
    }
    expect(checked).toBeGreaterThan(0);
    expect([...problems]).toEqual([]);
  });
});
