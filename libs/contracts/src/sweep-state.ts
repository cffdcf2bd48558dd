/**
 * The states of a discovery sweep row, written only by the discovery app: `queued` (created, not yet
 * claimed by a discovery process; shown to clients as `running`), `running`, `done`, `failed`.
 */
export const SWEEP_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type SweepState = (typeof SWEEP_STATES)[number];
