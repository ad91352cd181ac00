export * from './collector.port.js';
export * from './diagnosis-store.port.js';
export * from './notifier.port.js';
export * from './model.port.js';
export * from './runbook-source.port.js';
export * from './api.port.js';
