import type { Logger } from '../log';

/**
 * Runs a pass every `intervalMs` until stopped. Passes never overlap, a failing pass is logged and
 * retried at the next tick, and `stop()` waits for the pass under way: what the mail dispatcher
 * and the comment-period closer both need.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.pass()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, `${this.name} failed; will retry`))
        .finally(() => {
          this.running = null;
          if (this.timer !== null) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
