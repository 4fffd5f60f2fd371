import { t, type Lang } from '../../i18n';
import type { Digest } from '../digest';
import type { ComplaintDays } from '../trends';
import { shortDay, type ChartSpec } from './spec';

/**
 * The digest's complaints of the last 14 days by category, stacked, the digest's day marked.
 * The last seven days are the digest's own 7-day trend, its last day the digest's "new today".
 */
export function dailyComplaintsChart(digest: Digest, days: ComplaintDays, team: string, lang: Lang): ChartSpec {
  const at = days.days.indexOf(digest.day);
  return {
    kind: 'dailyComplaints',
    lang,
    title: t(lang, 'chart.dailyComplaints.title', { days: days.days.length, team }),
    categories: days.days.map(shortDay),
    series: days.byCategory.map(({ category, perDay }) => ({ name: t(lang, `category.${category}`), unit: 'count', shape: 'bar', stacked: true, values: perDay })),
    targets: [],
    marked: at < 0 ? null : { index: at, label: t(lang, 'chart.digestDay') },
  };
}

/** The digest's open complaints in its three age bands: under 24 h, 24–48 h, over 48 h. */
export function openByAgeChart(digest: Digest, team: string, lang: Lang): ChartSpec {
  const { under24h, from24to48h, over48h } = digest.open;
  return {
    kind: 'openByAge',
    lang,
    title: t(lang, 'chart.openByAge.title', { team, date: digest.day }),
    categories: [t(lang, 'chart.age.under24h'), t(lang, 'chart.age.from24to48h'), t(lang, 'chart.age.over48h')],
    series: [{ name: t(lang, 'chart.openComplaints'), unit: 'count', shape: 'bar', stacked: false, values: [under24h, from24to48h, over48h] }],
    targets: [],
    marked: null,
  };
}
