/**
 * Who is asking: the verified identity that travels with every call (user id and roles from the
 * token). Roles are plain strings here because the catalog does not own them; it only reads
 * "instructor" and "admin", and an unknown role grants nothing.
 */
export interface Actor {
  readonly userId: string;
  readonly roles: readonly string[];
}
