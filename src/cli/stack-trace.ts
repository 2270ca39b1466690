/**
 * Stack traces of the CLI's bundle (dist/cli-bundle/, scripts/bundle.js) in the sources' terms:
 * each frame in a bundle file with a source map beside it (a clone's build, the container image)
 * is given the place in src/ it was built from. Node's own `--enable-source-maps` would do this for
 * every run, at a cost to every start, and needs each file to name its map, which the npm package
 * leaves out; this reads the maps only when a stack is printed. Without a map (an npm install) a
 * frame stays as it is: the bundle is not minified, so its names and lines still read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

/** `file:///…/name.js:LINE:COLUMN` in a frame. */
const FRAME_PLACE = /(file:\/\/\/[^\s()]+?\.js):(\d+):(\d+)/g;

/** The stack with each frame that has a source map in source terms (`/…/src/cli/main.ts:12:3`). */
export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(FRAME_PLACE, (place, url: string, line: string, column: string) => {
    if (!maps.has(url)) maps.set(url, mapOf(url));
    const map = maps.get(url);
    // findEntry counts from 0, stack traces from 1; an empty entry when the place is not mapped.
    const entry = map?.findEntry(Number(line) - 1, Number(column) - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }> | undefined;
    if (entry?.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return place;
    return `${fileURLToPath(new URL(entry.originalSource, url))}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function mapOf(url: string): SourceMap | undefined {
  if (!url.includes('/cli-bundle/')) return undefined;
  const file = `${fileURLToPath(url)}.map`;
  if (!existsSync(file)) return undefined;
  try {
    return new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload);
  } catch {
    return undefined;
  }
}
