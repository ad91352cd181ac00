/**
 * CDK app entry point (`cdk.json`: `npx tsx infra/app.ts`). Settings come from context; see
 * infra/lib/config.ts and docs/deploy-section.md.
 */
import { buildApp } from './lib/app.js';

buildApp().app.synth();
