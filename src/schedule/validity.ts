import type { Services } from '../services';
import { DueSteps } from './due';

/**
 * R17: on the day a dated validity mark takes effect (a repeal from next month, the end of a
 * term), records the new status on the filing: on its ledger, in the e-mails, durably and once.
 */
export class ValidityRecorder {
  private readonly steps: DueSteps;

  constructor(services: Services, clock: () => Date = () => new Date()) {
    this.steps = new DueSteps(
      services,
      { due: (now, limit) => services.store.dueValidityChanges(now, limit), event: 'VALIDITY_CHANGED' },
      clock,
    );
  }

  async runOnce(): Promise<{ recorded: number; lost: number }> {
    const { applied, lost } = await this.steps.runOnce();
    return { recorded: applied, lost };
  }
}
