import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { buildAssetCatalogue, ConsoleAsset, locateConsoleDir, resolveConsoleRequest } from './console-assets';

/** Serves the web console's static files and the SPA shell; everything else goes on to the router. */
@Injectable()
export class ConsoleMiddleware implements NestMiddleware {
  private readonly assets: ReadonlyMap<string, ConsoleAsset> = buildAssetCatalogue(locateConsoleDir());

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.originalUrl.split('?')[0]!;
    const asset = resolveConsoleRequest(this.assets, path, req.accepts(['html', 'json']) === 'html');
    if (!asset) return next();
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Cache-Control', asset.immutable ? 'public, max-age=86400' : 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(asset.file, { dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  }
}
