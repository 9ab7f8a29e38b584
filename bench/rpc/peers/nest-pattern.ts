/** The message pattern the NestJS server answers and the client sends. */
export const ECHO_PATTERN = 'course.echo';
