/** Charts as data: pure functions from the digest, weekly and KPI models to a platform-neutral spec (src/charts draws it). */
export { dailyComplaintsChart, openByAgeChart } from './digest-charts';
export { FIRST_RESPONSE_TARGET, kpiTrendChart, weeklyConsultantsChart, weeklyKpisChart } from './kpi-charts';
export { hasData, kpiValue, percentOf, type ChartKind, type ChartSeries, type ChartSpec, type ChartTarget, type ChartUnit } from './spec';
