import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { locateConsoleDir } from './console-assets';

/** A console module without imports, evaluated as the browser loads it; answers the named exports. */
export function loadPureConsoleModule(file: string, exports: readonly string[]): Record<string, any> {
  const source = readFileSync(join(locateConsoleDir(), file), 'utf8');
  if (/^\s*import\s/m.test(source)) throw new Error(`${file} imports other modules: it is not pure`);
  const context: { result?: Record<string, any> } = {};
  runInNewContext(`${source.replace(/^export /gm, '')}\nresult = { ${exports.join(', ')} };`, context);
  return context.result!;
}
