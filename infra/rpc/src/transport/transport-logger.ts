import { z } from '@strata/shared-kernel';

/** The slice of a pino logger the transports use, so the runtime can pass its own. */
export interface TransportLogger {
  warn(fields: object, message: string): void;
}

export const silentLogger: TransportLogger = { warn() {} };

export const transportLoggerSchema = z.custom<TransportLogger>(
  (value) =>
    typeof value === 'object' && value !== null && typeof (value as TransportLogger).warn === 'function',
  'expected a logger with a warn(fields, message) method, e.g. a pino logger',
);
