import { SYSTEM_ACTOR } from '../../machines/roles';
import { AppError } from '../errors';
import type { Services } from '../services';
import type { DueFiling } from '../store/filings';

/** A kind of dated step the product takes by itself: which filings are due, and what to send. */
export interface DueStep {
  /** Filings whose moment has come, by a date stored on the filing: at most `limit` of them. */
  due(now: Date, limit: number): Promise<DueFiling[]>;
  /** The system's own events: they carry nothing but the moment they are sent. */
  event: 'CLOSE_CONSULTATION' | 'VALIDITY_CHANGED';
  /** Work that may follow a step, outside its transaction. */
  after?(filingId: string): Promise<void>;
}

/**
 * Sends system events whose date has come. Durable by construction: the date is stored on the
 * filing, so one that passed while the service was down is taken at the next pass after start.
 * Exactly once with several instances: each step is a version-guarded transition, so every
 * instance but one gets a conflict and moves on.
 */
export class DueSteps {
  constructor(
    private readonly services: Services,
    private readonly step: DueStep,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async runOnce(): Promise<{ applied: number; lost: number }> {
    const due = await this.step.due(this.clock(), 100);
    let applied = 0;
    let lost = 0;
    for (const filing of due) {
      const id = String(filing._id);
      try {
        await this.services.filings.send(SYSTEM_ACTOR, id, { type: this.step.event, version: filing.version });
        applied++;
      } catch (error) {
        // Another instance took it, or a person acted on it in between: nothing left to do.
        if (error instanceof AppError && (error.code === 'VERSION_CONFLICT' || error.code === 'EVENT_NOT_ALLOWED')) {
          lost++;
          continue;
        }
        throw error;
      }
      await this.step.after?.(id);
    }
    return { applied, lost };
  }
}
