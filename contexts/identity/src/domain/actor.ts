/**
 * Who is asking: the verified identity that travels with every call. The domain decides what this
 * person may do; transports and controllers only carry it. Roles are plain strings because they
 * arrive from a token, and an unknown one simply grants nothing.
 */
export interface Actor {
  readonly userId: string;
  readonly roles: readonly string[];
}
