/**
 * Who is asking: the verified identity that travels with every call (user id and roles from the
 * token). Each context decides what this person may do; transports and controllers only carry it.
 * Roles are plain strings because they arrive from a token, and an unknown one grants nothing.
 */
export interface Actor {
  readonly userId: string;
  readonly roles: readonly string[];
}
