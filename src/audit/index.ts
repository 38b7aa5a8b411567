export * from './access';
export * from './kinds';
export * from './present';
export * from './query';
export * from './trail';
