/** zh-CN texts of the charts (图表) drawn for the daily digest, the weekly summary and `/cs kpi … chart`. */
export const chartsZhCN = {
  'chart.dailyComplaints.title': '近 {days} 天投诉（按类别）· {team}',
  'chart.openByAge.title': '未解决投诉按时长 · {team} · {date}',
  'chart.weeklyConsultants.title': '顾问本周工作 · {team} · {from} 至 {to}',
  'chart.weeklyKpis.title': '近 {weeks} 周团队指标 · {team}',
  'chart.kpiTrend.title': '近 {days} 天指标趋势 · {who}',
  'chart.digestDay': '日报当天',
  'chart.age.under24h': '24 小时内',
  'chart.age.from24to48h': '24–48 小时',
  'chart.age.over48h': '超过 48 小时',
  'chart.openComplaints': '未解决投诉',
  'chart.visits': '接待来访',
  'chart.logged': '登记联系',
  'chart.onTime': '按时首次响应',
  'chart.target': '目标 {name} {value}',
  'chart.weekEnding': '至 {date}',
  'chart.noData': '本期没有数据',
} as const;

export type ChartsKey = keyof typeof chartsZhCN;

/** English texts of the charts: every key above. */
export const chartsEn: Record<ChartsKey, string> = {
  'chart.dailyComplaints.title': 'Complaints over the last {days} days by category · {team}',
  'chart.openByAge.title': 'Open complaints by age · {team} · {date}',
  'chart.weeklyConsultants.title': 'Consultants this week · {team} · {from} to {to}',
  'chart.weeklyKpis.title': 'Team KPIs over the last {weeks} weeks · {team}',
  'chart.kpiTrend.title': 'KPI trend over the last {days} days · {who}',
  'chart.digestDay': 'digest day',
  'chart.age.under24h': 'under 24 h',
  'chart.age.from24to48h': '24–48 h',
  'chart.age.over48h': 'over 48 h',
  'chart.openComplaints': 'Open complaints',
  'chart.visits': 'Visitors received',
  'chart.logged': 'Contacts logged',
  'chart.onTime': 'First responses on time',
  'chart.target': 'target {name} {value}',
  'chart.weekEnding': 'to {date}',
  'chart.noData': 'No data in this period',
};
