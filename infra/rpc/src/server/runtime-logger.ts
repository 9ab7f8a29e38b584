/** The slice of a pino logger the server runtime needs; pass the service's own logger. */
export interface RuntimeLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}
