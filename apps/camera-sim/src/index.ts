export { startCameraFleet, resolveFleetOptions } from './fleet';
export type { Fleet, FleetOptions, ResolvedFleetOptions } from './fleet';
export { SimCamera } from './camera/sim-camera';
export type { SimProfile } from './camera/sim-camera';
export type { Quirks } from './camera/quirks';
export { hostFor } from './camera/camera.identity';
