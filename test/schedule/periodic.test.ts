import { silentLogger } from '../../src/log';
import { PeriodicTask } from '../../src/schedule/periodic';

/** Waits for a condition rather than for a time: a loaded machine runs fewer passes per second. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

test('passes repeat, never overlap, survive a failure, and stop waits for the pass under way', async () => {
  let running = 0;
  let maxRunning = 0;
  let passes = 0;
  const task = new PeriodicTask(
    'test',
    async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      passes++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (passes === 2) throw new Error('a failing pass');
    },
    silentLogger,
  );
  task.start(1);
  // Past the failing second pass, and stopped in the middle of a pass.
  await until(() => passes > 3 && running === 1, 'a fourth pass under way');
  await task.stop();
  expect(running).toBe(0);
  const stoppedAt = passes;
  expect(stoppedAt).toBeGreaterThan(3);
  expect(maxRunning).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(passes).toBe(stoppedAt);
}, 60_000);
