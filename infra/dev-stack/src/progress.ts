/** One line per event, prefixed with the service, so parallel start-ups stay readable. */
export type Progress = (line: string) => void;

export function progressFor(service: string): Progress {
  return (line) => console.log(`dev-stack: ${service.padEnd(7)} ${line}`);
}
