import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'predisclosure' } });
}

/** For tests and scripts that must stay quiet. */
export const silentLogger: Logger = pino({ level: 'silent' });
