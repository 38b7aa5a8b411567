import { SYSTEM_ACTOR } from '../../machines/roles';
import type { Logger } from '../log';
import type { Services } from '../services';
import { toObjectId } from '../store/ids';
import { DueSteps } from './due';

/** Closes comment periods at their end instant (R9), durably and exactly once (see due.ts). */
export class ConsultationCloser {
  private readonly steps: DueSteps;

  constructor(services: Services, logger: Logger, clock: () => Date = () => new Date()) {
    this.steps = new DueSteps(
      services,
      {
        due: (now, limit) => services.store.dueConsultationEnds(now, limit),
        event: 'CLOSE_CONSULTATION',
        // Campaigns are grouped now, while nobody waits for it; the staff view would do it anyway.
        after: async (id) => {
          const round = (await services.filings.get(SYSTEM_ACTOR, id)).context.consultations.length;
          await services.comments.clustering(toObjectId(id), round).catch((error: unknown) => {
            logger.warn({ err: error, filingId: id }, 'clustering after close failed; it will run on demand');
          });
        },
      },
      clock,
    );
  }

  async runOnce(): Promise<{ closed: number; lost: number }> {
    const { applied, lost } = await this.steps.runOnce();
    return { closed: applied, lost };
  }
}
