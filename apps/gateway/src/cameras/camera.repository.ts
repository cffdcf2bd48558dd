/**
 * Moved: the cameras table's owner is CameraRepository in libs/persistence. This re-export only keeps
 * `discovery/sweeps.service.ts` (HEAD) compiling until its import names '@tiergate/persistence'; then delete it.
 */
export { CameraRepository } from '@tiergate/persistence';
