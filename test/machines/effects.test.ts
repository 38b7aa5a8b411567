/**
 * Effects from the chart: every step people take names its e-mails (`announce`), the text edits
 * name the new version, and an incomplete filing names its refusal — read from what XState's
 * `transition()` returns, over the traversal of the whole chart.
 */
import { advance, stageOf } from '../../machines/engine';
import { EFFECTS } from '../../machines/filing.machine';
import { eventSpec, FILING_EVENT_TYPES } from '../../machines/events';
import { traverse } from '../support/traversal';

describe('effects named by the chart', () => {
  const edges = traverse().filter((e) => e.state.can(e.event));

  test('every step taken announces itself, and only effects the server knows are named', () => {
    for (const e of edges) {
      const { effects } = advance(e.state, e.event);
      expect({ event: e.event.type, announces: effects.includes('announce') }).toEqual({ event: e.event.type, announces: true });
      for (const effect of effects) expect(EFFECTS).toContain(effect);
    }
  });

  test('a new text version is kept exactly when the text changed', () => {
    for (const e of edges) {
      const { snapshot, effects } = advance(e.state, e.event);
      const changed = snapshot.context.text.version !== e.state.context.text.version;
      expect({ event: e.event.type, keeps: effects.includes('keepTextVersion') }).toEqual({ event: e.event.type, keeps: changed });
    }
  });

  test('the refusal at intake is named exactly when SUBMIT returns the filing', () => {
    const refusals = edges.filter((e) => advance(e.state, e.event).effects.includes('refuseAtIntake'));
    expect(refusals.length).toBeGreaterThan(0);
    for (const e of refusals) {
      expect(e.event.type).toBe('SUBMIT');
      expect(stageOf(advance(e.state, e.event).snapshot)).toBe('returned');
    }
    for (const e of edges.filter((x) => x.event.type === 'SUBMIT' && !refusals.includes(x))) {
      expect(stageOf(advance(e.state, e.event).snapshot)).toBe('awaitingIntake');
    }
  });

  test('the registry declares, for each event, a rule for every stage a step can reach', () => {
    for (const e of edges) {
      const stage = stageOf(advance(e.state, e.event).snapshot);
      expect({ event: e.event.type, stage, declared: stage in eventSpec(e.event.type).notify }).toMatchObject({ declared: true });
    }
    // And every event of the registry is one the chart takes somewhere.
    const taken = new Set(edges.map((e) => e.event.type));
    expect(FILING_EVENT_TYPES.filter((t) => !taken.has(t))).toEqual([]);
  });
});
