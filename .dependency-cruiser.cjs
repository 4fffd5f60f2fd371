/**
 * The layers, as rules a machine checks (`npm run lint:deps`, run by `npm test` and so by CI).
 * Each rule holds today; the transports' rules (no listeners, no storage inside src/chat/<platform>)
 * come as the platforms become modules (issue 18).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module reaches itself again through its imports: each layer reads one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'The core (rules, grammar, clocks) imports nothing of ours but the catalogue, and no platform, database or cron.',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '^src/i18n/', '^node_modules/(luxon|libphonenumber-js|zod)/', '^node_modules/@types/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'storage-below-use-cases',
      severity: 'error',
      comment: 'db/ serves the use cases; it never imports them, the chat layer or the listeners.',
      from: { path: '^db/' },
      to: { path: '^(src/app|src/chat|handlers|schedules)/' },
    },
    {
      name: 'plumbing-below-features',
      severity: 'error',
      comment: 'The process plumbing (logger, metrics, ops endpoints, cron) serves everything above it and imports none of it.',
      from: { path: '^src/runtime/' },
      to: { path: '^(src/app|src/chat|handlers|schedules|db)/' },
    },
    {
      name: 'use-cases-know-no-platform',
      severity: 'error',
      comment: 'A use case talks to the ChatGateway port, never to one platform or its listeners.',
      from: { path: '^src/app/' },
      to: { path: '^(src/chat/(slack|dingtalk|wecom|sandbox)|handlers)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
