export * from './geojson.types';
export * from './bbox.util';
export * from './web-mercator.projection';
export * from './contains-point.geometry';
export * from './boundary.validator';
export * from './segment-sweep.geometry';
export * from './boundary-containment.geometry';
