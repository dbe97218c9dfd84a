/**
 * Where the daemon answers the command line: beside the database both share,
 * so that `porter invite ...` with the same configuration finds the Porter
 * that serves that database, and the folder Porter keeps private guards it.
 */
export function controlSocketPath(databasePath: string): string | null {
  if (databasePath === ":memory:") return null;
  return `${databasePath}.sock`;
}

/** sun_path holds 108 bytes on Linux, including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;
