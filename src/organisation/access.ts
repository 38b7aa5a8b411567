import type { Actor } from '../../machines/roles';

/**
 * 三员分立: the system administrator manages jurisdictions, departments, staff and their roles,
 * and nothing else — no filing, statistics, mail or audit trail.
 */
export function mayAdminister(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'administrator';
}

/** The administrator reaches the administration and their own identity only. */
export function confinedToAdministration(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'administrator';
}

/** The administration's paths: the API's `/admin/…` and the console's `/console/admin…`. */
export function isAdministrationPath(path: string): boolean {
  return /^\/admin(\/|$)/.test(path) || /^\/console\/admin(\/|$)/.test(path);
}
