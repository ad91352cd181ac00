export * from './categories.js';
export * from './errors.js';
export * from './incident.js';
export * from './evidence.js';
export * from './analysis.js';
export * from './diagnosis.js';
