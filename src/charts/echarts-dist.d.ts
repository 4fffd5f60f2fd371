// The single-file ES module build loads in about a third of the time of echarts' many-module entry.
declare module 'echarts/dist/echarts.esm.min.mjs' {
  export * from 'echarts';
}
