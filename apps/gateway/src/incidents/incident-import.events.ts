import { Injectable, Logger } from '@nestjs/common';

/** What an import changed: the jurisdictions its incidents were assigned to (new and old owners). */
export interface IncidentsImported {
  jurisdictionIds: ReadonlySet<string>;
  count: number;
}

export type ImportListener = (event: IncidentsImported) => Promise<void> | void;

/**
 * In-process notice that incidents were imported, so features such as hotspot events can react without
 * the import depending on them. Listeners run after the import has committed and after the answer is
 * sent; one listener failing is logged and does not affect the others.
 */
@Injectable()
export class IncidentImportEvents {
  private readonly logger = new Logger('IncidentImportEvents');
  private readonly listeners: ImportListener[] = [];

  on(listener: ImportListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(event: IncidentsImported): void {
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((e) => this.logger.error(`an import listener failed: ${(e as Error)?.message ?? String(e)}`));
    }
  }
}
