/** Console sessions for supertest: one signed-in agent per member of staff, kept per harness. */
import request from 'supertest';
import type { Harness, StaffKey } from './harness';

export type ConsoleAgent = ReturnType<typeof request.agent>;

/** The CSRF token of the first form on a console page. */
export const csrfOf = (html: string): string => /name="_csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? '';

/** Signs in through the login form, like a browser: CSRF cookie and token, then the session cookie. */
export function consoleSessions(harness: () => Harness): (who: StaffKey) => Promise<ConsoleAgent> {
  const agents = new Map<StaffKey, ConsoleAgent>();
  return async (who) => {
    const existing = agents.get(who);
    if (existing) return existing;
    const h = harness();
    const agent = request.agent(h.server);
    const login = await agent.get('/console/login').expect(200);
    await agent.post('/console/login').type('form').send({ _csrf: csrfOf(login.text), token: h.tokens[who] }).expect(303);
    agents.set(who, agent);
    return agent;
  };
}
