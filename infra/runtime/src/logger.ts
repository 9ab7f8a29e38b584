import { pino, type Logger, type LoggerOptions } from 'pino';
import { logDestination } from './log-destination.ts';

export type { Logger } from 'pino';

export interface LoggerConfig {
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go; stdout (logDestination) when absent. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

/**
 * One JSON line per event, tagged with the service. Credentials and tokens are redacted by path
 * wherever they appear in logged request objects, so a debug line cannot leak them.
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
  };
  return pino(options, config.destination ?? logDestination());
}
