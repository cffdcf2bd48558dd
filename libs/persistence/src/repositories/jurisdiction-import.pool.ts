import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ErrorCode, JurisdictionImportItem, JurisdictionImportPlan, TiergateError, validateBoundary } from '@tiergate/domain';
import type { ImportCheckRequest } from './jurisdiction-import.checker';

type Reply = { id: number; ok: true; order: string } | { id: number; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** An idle worker is stopped after this long; the next import starts a new one (~50 ms from the build). */
const IDLE_STOP_MS = 30_000;

/**
 * Runs `checkJurisdictionImport` on one worker thread, so that a large or hostile import (the sweep-line
 * validity check and polygon clipping of up to 200,000 positions) never stalls HTTP or HLS delivery on
 * the event loop. Requests queue on the worker in order. From the build the worker is the compiled
 * `jurisdiction-import.worker.js`; from the TypeScript sources (tests) the same file through
 * test/support/ts-register.js.
 */
export class ImportCheckPool {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { features: unknown[]; resolve: (plan: JurisdictionImportPlan) => void; reject: (e: Error) => void }>();
  private idle: NodeJS.Timeout | undefined;

  check(request: ImportCheckRequest): Promise<JurisdictionImportPlan> {
    const worker = this.worker ?? this.start();
    if (this.idle) clearTimeout(this.idle);
    const id = this.nextId++;
    return new Promise((resolvePlan, reject) => {
      this.pending.set(id, { features: request.features, resolve: resolvePlan, reject });
      worker.postMessage({ id, request: JSON.stringify(request) });
    });
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const compiled = join(__dirname, 'jurisdiction-import.worker.js');
    const worker = existsSync(compiled)
      ? new Worker(compiled)
      : new Worker(
          `require(${JSON.stringify(resolve(__dirname, '../../../../test/support/ts-register.js'))}); require(${JSON.stringify(join(__dirname, 'jurisdiction-import.worker.ts'))});`,
          { eval: true },
        );
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (e) => this.failAll(worker, e));
    worker.on('exit', (code) => this.failAll(worker, new Error(`the import check worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) {
      // The worker checked these geometries; the same clean copies, without the ring checks (O(n)).
      const order = (JSON.parse(reply.order) as Omit<JurisdictionImportItem, 'boundary'>[]).map((item) => ({
        ...item,
        boundary: validateBoundary((waiter.features[item.featureIndex] as { geometry?: unknown }).geometry, { structureOnly: true, maxVertices: Infinity }),
      }));
      waiter.resolve({ order, creates: order.filter((i) => i.action === 'create'), updates: order.filter((i) => i.action === 'update') });
    } else {
      const code: ErrorCode = TiergateError.isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL';
      waiter.reject(new TiergateError(code, reply.error.message, reply.error.details));
    }
    if (this.pending.size === 0) {
      this.idle = setTimeout(() => void this.close(), IDLE_STOP_MS);
      this.idle.unref();
    }
  }

  private failAll(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const waiter of this.pending.values()) waiter.reject(new TiergateError('INTERNAL', error.message));
    this.pending.clear();
  }
}
