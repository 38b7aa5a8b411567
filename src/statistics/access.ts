import type { Actor, Role } from '../../machines/roles';

/** R20: who reads the statistics — the general office (clerk) and the assessors. */
export const STATISTICS_ROLES: readonly Role[] = ['assessor', 'clerk'];

export function mayReadStatistics(actor: Pick<Actor, 'role'>): boolean {
  return STATISTICS_ROLES.includes(actor.role);
}
