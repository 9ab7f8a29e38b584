/** Collects what the runtime logs, so a test can show what reached the log and that nothing secret did. */
export function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    error: (fields: object, message: string) => void lines.push(JSON.stringify({ fields, message })),
    warn: (fields: object, message: string) => void lines.push(JSON.stringify({ fields, message })),
  };
}
