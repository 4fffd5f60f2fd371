/**
 * The layers, as rules a machine checks (`npm run lint:deps`, run by `npm test` and so by CI).
 * A platform is one module: its transport in src/chat/<platform>/, its listeners in
 * handlers/<platform>/, and the two (with any storage the transport asks for) bound together
 * only in the platform table, src/platforms/.
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
    {
      name: 'transports-know-no-listeners',
      severity: 'error',
      comment: 'A transport is handed its listeners by the platform table; it never imports handlers/.',
      from: { path: '^src/chat/(slack|dingtalk|wecom|sandbox)/' },
      to: { path: '^handlers/' },
    },
    {
      name: 'transports-know-no-storage',
      severity: 'error',
      comment: 'What a transport keeps (a lease, a send budget) comes in as a small port the platform table builds from db/.',
      from: { path: '^src/chat/(slack|dingtalk|wecom|sandbox)/' },
      to: { path: '^db/' },
    },
    {
      name: 'one-platform-table',
      severity: 'error',
      comment: 'Only the platform table (src/platforms/) names a platform; besides it, a platform is used by its own code and listeners alone.',
      from: { pathNot: ['^src/platforms/', '^src/chat/(slack|dingtalk|wecom|sandbox)/', '^handlers/(slack|dingtalk|wecom)/'] },
      to: { path: '^src/chat/(slack|dingtalk|wecom|sandbox)/' },
    },
    {
      name: 'platforms-apart',
      severity: 'error',
      comment: "A platform's transport and listeners use no other platform's code.",
      from: { path: '^(src/chat|handlers)/(slack|dingtalk|wecom|sandbox)/' },
      to: { path: '^src/chat/(slack|dingtalk|wecom|sandbox)/', pathNot: '^src/chat/$2/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Packages are named where they are found (node_modules/…), also in a worktree whose node_modules links to another checkout's.
    preserveSymlinks: true,
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
