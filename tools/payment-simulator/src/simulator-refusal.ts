/** A request the simulator refuses: an HTTP status, a stable code and what was wrong. */
export class SimulatorRefusal extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SimulatorRefusal';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
