import type { Logger } from '../runtime/logger';
import type { Metrics } from '../runtime/metrics';

/** One line per kind at most this often: a platform sending a flood of bad frames does not flood the log. */
const QUIET_MS = 10 * 60_000;

/** Reports a callback the bot could not read, by kind (`not-json`, `unknown-topic`, `bad-message`…). */
export type MalformedReporter = (kind: string, detail?: Readonly<Record<string, string | number>>) => void;

/**
 * Callbacks a platform sent that the bot cannot read (not JSON, a shape it does not know, a
 * topic it did not subscribe to): the transport acknowledges them so they are not pushed again,
 * and each is counted (`csbot_malformed_callbacks_total{platform,kind}`) and logged, one line
 * per kind every ten minutes, never with its content (it may hold customer details).
 */
export function createMalformedReporter(deps: { platform: string; logger: Logger; metrics: Metrics; now?: () => number }): MalformedReporter {
  const now = deps.now ?? Date.now;
  const logged = new Map<string, number>();
  return (kind, detail = {}) => {
    deps.metrics.malformedCallback(deps.platform, kind);
    const at = now();
    if ((logged.get(kind) ?? -Infinity) > at - QUIET_MS) return;
    logged.set(kind, at);
    deps.logger.warn(
      { platform: deps.platform, kind, ...detail },
      `${deps.platform} sent a callback the bot cannot read (${kind}); acknowledged and counted in csbot_malformed_callbacks_total, next of this kind logged after 10 min`,
    );
  };
}
