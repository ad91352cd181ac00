export * from './intent.js';
export * from './understand.js';
export * from './time-range.js';
export * from './plans.js';
export * from './iac.js';
export * from './ports.js';
export * from './answer.js';
export * from './approve.js';
