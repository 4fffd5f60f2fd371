/** Charts as data: pure functions from the digest, weekly and KPI models to a platform-neutral spec (src/charts draws it). */
export { dailyComplaintsChart, openByAgeChart } from './digest-charts';
export { kpiTrendChart, weeklyConsultantsChart, weeklyKpisChart } from './kpi-charts';
export { hasData, type ChartKind, type ChartSeries, type ChartSpec, type ChartTarget, type ChartUnit } from './spec';
