/**
 * eksguard.yaml, found and parsed: kept apart from the scan pipeline so that commands that only need
 * the configuration (audit, webhook) do not load every rule and collector to read it.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from './core/errors.js';
import { EMPTY_CONFIG, parseConfig, type Config } from './engine/config.js';

/** Reads `eksguard.yaml` (or the named file). A named file that is missing is an error; a default one is optional. */
export async function loadConfig(file: string | undefined, cwd: string): Promise<{ config: Config; file?: string }> {
  const candidates = file ? [file] : [`${cwd}/eksguard.yaml`, `${cwd}/eksguard.yml`, `${cwd}/.eksguard.yaml`];
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(candidate, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!file && code === 'ENOENT') continue;
      throw new ConfigError(candidate, '', code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? 'error'})`);
    }
    return { config: parseConfig(candidate, text), file: candidate };
  }
  return { config: EMPTY_CONFIG };
}
