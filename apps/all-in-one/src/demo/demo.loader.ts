import { Logger } from '@nestjs/common';
import { SessionClaims, TokenSigner } from '@tiergate/access';
import { generateCameraPoints, generateDistrict, generateIncidents, incidentsToCsv } from '@tiergate/domain';
import { CameraRepository, JurisdictionsRepository, UsersRepository } from '@tiergate/persistence';
import { RunningProcess, SESSION_SIGNER } from '@tiergate/platform';
import { Fleet, startCameraFleet } from '../../../camera-sim/src';
import { ConsoleBasemap } from '../../../gateway/src/console/basemap.store';
import { demoBasemap } from './demo-basemap';
import { DEMO_RATES, loadDemoRates } from './demo-rates';

/** Where the demo fleet lives: its own loopback range and ports, away from the gateway's. */
export const DEMO_FLEET = { firstAddress: '127.0.2.1', onvifPort: 8000, rtspPort: 8554, username: 'admin', password: 'demo-cam-pass' } as const;

/**
 * `TIERGATE_DEMO=1`: starts the simulated camera fleet and, on an empty database, loads the demo district
 * (a sub-bureau, its stations and posts around Shenyang's Shenhe district), onboards the cameras over
 * ONVIF, imports two years of incidents with planted bike-theft hotspots near garages, and the rates' inputs
 * (post populations, a year of stop-and-checks, patrol routes with three days of rounds: demo-rates.ts).
 * Everything goes through the public HTTP API, exactly as an operator would do it, except the patrol
 * history, which has times in the past that the API cannot write.
 */
export async function loadDemo(running: RunningProcess, cameraCount: number): Promise<() => Promise<void>> {
  const logger = new Logger('Demo');
  const fleet: Fleet = await startCameraFleet({ count: Math.max(cameraCount, 1), ...DEMO_FLEET, names: undefined });
  const stop = () => fleet.stop();
  try {
    const district = generateDistrict({ stations: 14, postsPerStation: 8, seed: 7 });
    // The map's streets and landmarks without tiles, unless console.basemapFile names a real one (docs/map.md).
    if (running.app.get(ConsoleBasemap, { strict: false }).offerDefault(demoBasemap(district))) logger.log('demo basemap: streets and landmarks of the demo district on the map');
    const empty = (await running.app.get(JurisdictionsRepository).loadTree()).nodes.length === 0 && !(await running.app.get(CameraRepository).any());
    if (!empty) {
      logger.log(`simulated cameras running on ${DEMO_FLEET.firstAddress}…; database not empty, demo data left as it is`);
      return stop;
    }
    const client = await adminClient(running);
    const tree = await client('POST', '/api/jurisdictions/import', district);
    logger.log(`demo district: ${tree.created} jurisdictions`);

    // Every third demo camera watches a bicycle garage: the post PCs' view and the planted hotspots need some.
    const points = generateCameraPoints(district, fleet.cameras.length, 11).map((p, i) =>
      i % 3 === 0 && !p.tags.includes('garage') ? { ...p, tags: [...p.tags, 'garage'] } : p,
    );
    let added = 0;
    for (const [i, camera] of fleet.cameras.entries()) {
      const point = points[i];
      await client('POST', '/api/cameras', {
        name: point.name,
        onvif: { host: camera.host, port: camera.onvifPort, username: DEMO_FLEET.username, password: DEMO_FLEET.password },
        location: { lat: point.lat, lon: point.lon },
        tags: point.tags,
      }).then(
        () => added++,
        (e) => logger.warn(`demo camera ${camera.host} not added: ${(e as Error).message}`),
      );
    }
    logger.log(`demo cameras: ${added} onboarded over ONVIF`);

    const garages = points.filter((p) => p.tags.includes('garage')).slice(0, 3);
    const incidents = generateIncidents({
      district,
      count: 20_000,
      years: 2,
      end: new Date(),
      seed: 5,
      plantedHotspots: garages.map((g) => ({ lon: g.lon, lat: g.lat, type: 'bike_theft' as const, share: 0.03 })),
    });
    const imported = await client('POST', '/api/incidents/import', incidentsToCsv(incidents), 'text/csv');
    logger.log(`demo incidents: ${imported.created} over two years, bike-theft hotspots planted near ${garages.length} garages`);

    const t0 = Date.now();
    const rates = await loadDemoRates(running, client, (await running.app.get(JurisdictionsRepository).loadTree()).nodes);
    logger.log(`demo rates: ${rates.populations} post populations, ${rates.stopChecks} stop-and-checks over a year, ${rates.routes} patrol routes with ${rates.rounds} rounds over ${DEMO_RATES.patrolDays} days (${Date.now() - t0} ms)`);
    return stop;
  } catch (e) {
    await stop();
    throw new Error(`demo data could not be loaded: ${(e as Error).message}`);
  }
}

type Client = (method: string, path: string, body: unknown, contentType?: string) => Promise<any>;

/** Calls the process's own API as the built-in admin, with a token minted in process. */
async function adminClient(running: RunningProcess): Promise<Client> {
  const admin = await running.app.get(UsersRepository).builtInAdmin();
  if (!admin) throw new Error('the built-in admin does not exist yet');
  const signer = running.app.get<TokenSigner>(SESSION_SIGNER);
  const now = Math.floor(Date.now() / 1000);
  const claims: SessionClaims = { sub: admin.id, ver: admin.tokenVersion, iat: now, exp: now + 600 };
  const token = signer.sign(claims as unknown as Record<string, unknown>);
  return async (method, path, body, contentType = 'application/json') => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.code ?? ''} ${json.message ?? ''}`);
    return json;
  };
}
