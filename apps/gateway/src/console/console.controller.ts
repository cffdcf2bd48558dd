import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TIERGATE_CONFIG, TiergateConfig } from '@tiergate/config';
import { notFound } from '@tiergate/domain';
import { Public } from '@tiergate/platform';
import { ConsoleBasemap } from './basemap.store';

/** Where the console fetches the basemap from (after login). */
export const BASEMAP_PATH = '/api/console/basemap';

/** Settings the browser console needs before login. */
@ApiTags('console')
@Controller('api/console')
export class ConsoleController {
  constructor(
    @Inject(TIERGATE_CONFIG) private readonly config: TiergateConfig,
    private readonly basemap: ConsoleBasemap,
  ) {}

  @Public()
  @Get('config')
  @ApiOperation({ summary: 'Map settings of the console: raster tile URL template and basemap path (null: none)' })
  settings(): { tileUrl: string | null; basemapUrl: string | null } {
    return { tileUrl: this.config.console.tileUrl || null, basemapUrl: this.basemap.json() ? BASEMAP_PATH : null };
  }

  /**
   * The basemap drawn under the boundaries (docs/map.md "Basemap"): a GeoJSON FeatureCollection whose features have
   * properties {role: street | landmark, name?, major?}. 404 when none is configured.
   */
  @Get('basemap')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'GeoJSON basemap (streets and landmarks) for the map without tiles' })
  @ApiProduces('application/geo+json')
  @ApiOkResponse({ description: 'FeatureCollection; each feature {properties: {role: "street" | "landmark", name?, major?}, geometry}' })
  @ApiNotFoundResponse({ description: 'no basemap configured (console.basemapFile)' })
  @Header('Content-Type', 'application/geo+json; charset=utf-8')
  @Header('Cache-Control', 'private, max-age=300')
  basemapFile(): string {
    const body = this.basemap.json();
    if (!body) throw notFound('basemap');
    return body;
  }
}
