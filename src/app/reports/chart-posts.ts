import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { drawChart } from '../../charts';
import { DeliveryError, type ChatGateway, type OutgoingImage } from '../../chat/gateway';
import { hasData, type ChartSpec } from '../../core/charts';
import type { Team } from '../../core/model';
import { maskPhonesIn } from '../../core/phone-text';
import type { Clock } from '../../core/time/clock';
import { t } from '../../i18n';
import type { Logger } from '../../runtime/logger';
import { channelRef, mention } from '../commands/mention';
import { tellManagersOnce } from '../team/managers-notice';

/** A chart to send and the name of its PNG. */
export interface ChartPost {
  readonly spec: ChartSpec;
  readonly name: string;
}

/** Draws a spec as a PNG: the lazy renderer (echarts and resvg load on the first chart), or a test's stand-in. */
export type DrawChart = (spec: ChartSpec) => Promise<{ readonly png: Buffer }>;

export interface ChartPostDeps {
  readonly db: Kysely<Database>;
  readonly gateway: ChatGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly draw?: DrawChart;
}

/**
 * Whether a team's post should carry charts: its switch is on and the platform can show a
 * picture. Off, the post is what it was before charts (nothing else is read or drawn).
 */
export const chartsWanted = (gateway: ChatGateway, team: Team): boolean => team.settings.charts && gateway.sendImage !== undefined;

/**
 * A chart's words with any number that looks like a phone masked: its labels are team and
 * display names, but a platform id may be a mobile number (WeCom lets a company use them).
 */
export function withoutPhones(spec: ChartSpec): ChartSpec {
  return {
    ...spec,
    title: maskPhonesIn(spec.title),
    categories: spec.categories.map((c) => maskPhonesIn(c)),
    series: spec.series.map((s) => ({ ...s, name: maskPhonesIn(s.name) })),
  };
}

/**
 * Sends the charts with something to show after a post's text, in order. The text has gone
 * out already and stays whatever happens here: a chart that cannot be drawn or sent is left
 * out (logged); a refusal that will not change (a permission the bot lacks) also stops the
 * rest and tells the team's managers once why. Resolves with how many charts went out.
 */
export async function postCharts(deps: ChartPostDeps, team: Team, to: OutgoingImage['to'], charts: readonly ChartPost[]): Promise<number> {
  const { gateway, logger } = deps;
  if (!chartsWanted(gateway, team)) return 0;
  const draw = deps.draw ?? drawChart;
  let sent = 0;
  for (const chart of charts) {
    if (!hasData(chart.spec)) continue;
    const spec = withoutPhones(chart.spec);
    try {
      const { png } = await draw(spec);
      await gateway.sendImage!({ to, name: chart.name, title: spec.title, png, lang: team.lang });
      sent++;
    } catch (error) {
      logger.warn({ err: error, teamId: team.id, chart: spec.kind }, 'chart not sent; the text went out alone');
      if (error instanceof DeliveryError && error.permanent) {
        await chartsRefused(deps, team, to, error.message);
        return sent;
      }
    }
  }
  return sent;
}

/** Tells the team's managers (its supervisors when it has none), once for good, that the platform refused its charts and why. */
async function chartsRefused(deps: ChartPostDeps, team: Team, to: OutgoingImage['to'], detail: string): Promise<void> {
  const where = to.kind === 'channel' ? channelRef(to.channel) : mention(to.user);
  const text = t(team.lang, 'chart.refused', { team: team.name, where, detail: detail.slice(0, 200) });
  await tellManagersOnce({ ...deps, send: (o) => deps.gateway.send(o) }, team, 'charts-refused', text);
}
