import { parentPort } from 'node:worker_threads';
import { TiergateError } from '@tiergate/domain';
import { checkJurisdictionImport, ImportCheckRequest } from './jurisdiction-import.checker';

/**
 * Worker thread entry: checks tree imports off the gateway's event loop. Messages are JSON text both
 * ways (one string is copied, not a deep clone of every position), the plan as its `order` only,
 * without boundaries. Started by ImportCheckPool.
 */
parentPort?.on('message', ({ id, request }: { id: number; request: string }) => {
  try {
    const plan = checkJurisdictionImport(JSON.parse(request) as ImportCheckRequest);
    // The order only (creates and updates are rebuilt from it), without boundaries: the caller rebuilds
    // the same clean copies from its features in O(n) rather than parse them back from here.
    parentPort!.postMessage({ id, ok: true, order: JSON.stringify(plan.order.map(({ boundary: _boundary, ...item }) => item)) });
  } catch (e) {
    const error =
      e instanceof TiergateError
        ? { code: e.code, message: e.message, details: e.details }
        : { code: 'INTERNAL', message: `import check failed: ${e instanceof Error ? e.message : String(e)}` };
    parentPort!.postMessage({ id, ok: false, error });
  }
});
