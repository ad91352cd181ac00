/**
 * Dependency rules of ops-assistant (checked by `npm run lint:deps` and by a test):
 * the core stays pure — no AWS SDK, no node:fs, no Lambda types, no adapters or entry points —
 * and nothing imports a Lambda handler.
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
