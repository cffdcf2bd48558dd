import type { ApiResponseSchemaHost } from '@nestjs/swagger';

/** An OpenAPI schema object, as @ApiOkResponse takes it (the type itself is not exported by @nestjs/swagger). */
type SchemaObject = ApiResponseSchemaHost['schema'];

const num: SchemaObject = { type: 'number' };
const int: SchemaObject = { type: 'integer' };
const str: SchemaObject = { type: 'string' };
const latLon: SchemaObject = { type: 'object', properties: { lat: num, lon: num } };
const confidence: SchemaObject = { type: 'string', enum: ['hot-99', 'hot-95', 'hot-90'] };

/** The answer of GET /api/hotspots/areas (HotspotAreasView), for the OpenAPI document. */
export const HOTSPOT_AREAS_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    cellSize: num,
    radius: num,
    n: int,
    confidence: { type: 'integer', enum: [90, 95, 99] },
    jurisdiction: { type: 'object', nullable: true, properties: { id: str, code: str, name: str, tier: str } },
    type: { type: 'string', nullable: true },
    areas: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: '"x,y" of the peak cell' },
          cells: { type: 'array', items: { type: 'object', properties: { x: int, y: int, count: int, z: num, p: num, confidence } } },
          count: { type: 'integer', description: 'incidents in the area\'s cells' },
          confidence,
          level: { type: 'integer', enum: [90, 95, 99] },
          peak: { type: 'object', properties: { x: int, y: int, z: num, p: num } },
          centroid: latLon,
          bounds: { type: 'object', properties: { south: num, west: num, north: num, east: num } },
          post: { type: 'object', nullable: true, properties: { id: str, code: str, name: str, tier: str } },
          cameras: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: str,
                name: str,
                garage: { type: 'boolean' },
                distance: { type: 'number', description: 'EPSG:3857 metres to the nearest cell of the area (0 inside)' },
                groundDistance: { type: 'integer', description: 'metres on the ground' },
              },
            },
          },
          landmark: { type: 'object', nullable: true, properties: { cameraId: str, name: str, kind: { type: 'string', enum: ['garage', 'camera'] }, groundDistance: int } },
        },
      },
    },
  },
};
