/**
 * What a step causes outside the filing, named by the chart's own actions: `transition()` returns
 * them and the server performs them (it computes, the chart says what). Their implementations in
 * the chart do nothing — the chart stays pure.
 *
 * - `announce`: e-mail whoever the event's registry entry names for the stage reached (R19);
 * - `keepTextVersion`: store the new text version in the filing's list of versions;
 * - `refuseAtIntake`: answer the submitter with the full list of deficiencies (R18).
 */
export const EFFECTS = ['announce', 'keepTextVersion', 'refuseAtIntake'] as const;
export type Effect = (typeof EFFECTS)[number];

export const EFFECT_ACTIONS = Object.fromEntries(EFFECTS.map((effect) => [effect, () => undefined])) as Record<Effect, () => void>;

export function isEffect(type: string): type is Effect {
  return (EFFECTS as readonly string[]).includes(type);
}
