import { silentLogger } from '../../src/log';
import { PeriodicTask } from '../../src/schedule/periodic';

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
  await new Promise((resolve) => setTimeout(resolve, 80));
  await task.stop();
  const stoppedAt = passes;
  expect(stoppedAt).toBeGreaterThan(3);
  expect(maxRunning).toBe(1);
  expect(running).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(passes).toBe(stoppedAt);
});
