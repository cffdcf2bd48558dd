import { setImmediate as nextTurn } from 'node:timers/promises';

/** What PGlite's node-postgres adapter calls on the instance (see `createPgConfig`): nothing else. */
interface ProtocolEndpoint {
  readonly waitReady: Promise<void>;
  execProtocolStream(message: Uint8Array, options?: object): Promise<unknown[]>;
}

/**
 * PGlite runs Postgres on this thread, and its node-postgres adapter answers every protocol message
 * through promises only: a whole transaction (BEGIN, every statement, COMMIT, and the JavaScript between
 * them) then runs in one turn of the event loop, without a single I/O wait where timers, HTTP and HLS
 * requests would get their turn. A tree import's transaction (load the tree, insert a 20,000-position
 * boundary, reassign the cameras: 60-90 ms of CPU) blocked the loop for all of it, where a database
 * server lets the loop run between statements.
 *
 * This endpoint gives each protocol message its own turn, as a socket round trip to a server does: the
 * loop is blocked for one message (and the code that handles its answer) at most. The messages run in
 * the order sent on the one connection, so transactions see nothing different.
 */
export function oneTurnPerMessage<P extends ProtocolEndpoint>(pglite: P): P {
  const endpoint: ProtocolEndpoint = {
    waitReady: pglite.waitReady,
    execProtocolStream: async (message, options) => {
      await nextTurn();
      return pglite.execProtocolStream(message, options);
    },
  };
  // The adapter duck-types the instance (by execProtocolStream) and calls nothing else on it.
  return endpoint as P;
}
