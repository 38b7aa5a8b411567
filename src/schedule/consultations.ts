import { SYSTEM_ACTOR } from '../../machines/roles';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { Services } from '../services';

/**
 * Closes comment periods at their end instant (R9). Durable by construction: the end instant is
 * stored on the filing, so a period whose end passed while the service was down closes at the
 * next pass after start. Exactly once with several instances: the close is a version-guarded
 * transition, so every instance but one gets a conflict and moves on.
 */
export class ConsultationCloser {
  constructor(
    private readonly services: Services,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async runOnce(): Promise<{ closed: number; lost: number }> {
    const due = await this.services.models.Filing.find(
      { stage: 'consultation', consultationEndsAt: { $lte: this.clock() } },
      { _id: 1, version: 1 },
    )
      .limit(100)
      .lean()
      .exec();
    let closed = 0;
    let lost = 0;
    for (const filing of due) {
      const id = String(filing._id);
      try {
        await this.services.filings.send(SYSTEM_ACTOR, id, { type: 'CLOSE_CONSULTATION', version: filing.version });
        closed++;
      } catch (error) {
        // Another instance closed it, or a person acted on it in between: nothing left to do.
        if (error instanceof AppError && (error.code === 'VERSION_CONFLICT' || error.code === 'EVENT_NOT_ALLOWED')) {
          lost++;
          continue;
        }
        throw error;
      }
      // Campaigns are grouped now, while nobody waits for it; the staff view would do it anyway.
      const head = await this.services.filings.visible(SYSTEM_ACTOR, id);
      const round = (await this.services.filings.get(SYSTEM_ACTOR, id)).context.consultations.length;
      await this.services.comments.clusters(head, round).catch((error: unknown) => {
        this.logger.warn({ err: error, filingId: id }, 'clustering after close failed; it will run on demand');
      });
    }
    return { closed, lost };
  }
}
