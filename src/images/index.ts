export * from './policy.js';
export * from './reference.js';
