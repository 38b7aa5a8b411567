import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** A real MongoDB (production: a replica set). Unset: an embedded one is started. */
  mongodbUri: string | null;
  databaseName: string;
  /** Where the embedded database keeps its files and its address for the scripts. */
  dataDir: string;
  bodyLimit: string;
  logLevel: string;
}

/** The project folder, whether running from `src/config` or compiled `dist/src/config`. */
export const PROJECT_ROOT = ((): string => {
  const twoUp = path.resolve(__dirname, '..', '..');
  return path.basename(twoUp) === 'dist' ? path.dirname(twoUp) : twoUp;
})();

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be an integer between 0 and 65535, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer('PORT', 3000),
    host: env.HOST || '127.0.0.1',
    mongodbUri: env.MONGODB_URI || null,
    databaseName: env.MONGODB_DB || 'predisclosure',
    dataDir: path.resolve(env.PREDISCLOSURE_DATA_DIR || path.join(PROJECT_ROOT, 'data')),
    bodyLimit: env.BODY_LIMIT || '2mb',
    logLevel: env.LOG_LEVEL || 'info',
  };
}
