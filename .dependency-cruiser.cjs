/**
 * Dependency rules of ops-assistant (checked by `npm run lint:deps` and by a test):
 * the core stays pure — no AWS SDK, no node:fs, no Lambda types, no adapters or entry points —;
 * stages meet only in the pipeline (a stage imports another stage's index alone); composition
 * roots never import handlers; the CLI reaches adapters only through a composition root.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-no-aws-sdk',
      comment: 'The core knows nothing of AWS: SDK calls live in functions/adapters/aws.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|aws-cdk-lib|@types/aws-lambda)/' },
    },
    {
      name: 'core-no-fs',
      comment: 'The core does no file I/O: files are read by adapters (functions/adapters/local).',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^(node:)?fs(/promises)?$' },
    },
    {
      name: 'core-no-outer-layers',
      comment: 'The core does not import adapters, composition roots, handlers or the CLI.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: { path: '^functions/(adapters|composition|handlers|cli)/' },
    },
    {
      name: 'adapters-not-entry-points',
      comment: 'Adapters do not depend on entry points.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: '^functions/(handlers|cli)/' },
    },
    {
      name: 'stages-meet-in-pipeline',
      comment: 'A stage uses another stage only through its index (what it exports on purpose); what crosses stages lives in core/model or is passed in by the pipeline.',
      severity: 'error',
      from: { path: '^functions/core/stages/([^/]+)/' },
      to: { path: '^functions/core/stages/[^/]+/', pathNot: ['^functions/core/stages/$1/', '^functions/core/stages/[^/]+/index\\.ts$'] },
    },
    {
      name: 'composition-not-handlers',
      comment: 'Composition roots build dependencies; the handlers (entry points) use them, never the other way round. Shared contracts live in core/ports.',
      severity: 'error',
      from: { path: '^functions/composition/' },
      to: { path: '^functions/handlers/' },
    },
    {
      name: 'cli-adapters-through-composition',
      comment: 'The CLI reaches adapters only through a composition root (composition/local.ts).',
      severity: 'error',
      from: { path: '^functions/cli/' },
      to: { path: '^functions/adapters/' },
    },
    {
      name: 'no-circular',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
