import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './logger';

/** The one place node-cron is used; jobs get `every()` and never import it, so tests call jobs directly. */
export interface Scheduler {
  every(expression: string, name: string, job: () => Promise<void>, opts?: { timezone?: string }): void;
  stop(): Promise<void>;
}

export function createCronScheduler(logger: Logger): Scheduler {
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();
  return {
    every(expression, name, job, opts) {
      const task = cron.schedule(
        expression,
        async () => {
          const run = job().catch((error: unknown) => logger.error({ err: error, job: name }, 'scheduled job failed'));
          running.add(run);
          await run;
          running.delete(run);
        },
        { name, timezone: opts?.timezone, noOverlap: true },
      );
      tasks.push(task);
    },
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.all(running);
    },
  };
}
