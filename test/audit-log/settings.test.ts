/**
 * Every detection's default options satisfy its own schema: the settings check only the options a
 * user writes, so the defaults are checked here rather than at every start.
 */
import { describe, expect, it } from 'vitest';
import { allDetections, resolveDetections } from '../../src/audit-log/settings.js';
import { validateAgainst } from '../../src/core/json-schema.js';
import { parseConfig } from '../../src/engine/config.js';
import { ConfigError } from '../../src/core/errors.js';

describe('detection settings', () => {
  it.each(allDetections().map((d) => [d.id, d] as const))('%s: the default options are valid', (_id, detection) => {
    expect(detection.schema).toBeDefined();
    expect(validateAgainst(detection.schema ?? { type: 'object' }, detection.defaultOptions)).toEqual([]);
  });

  it('options a user writes are still checked', () => {
    const config = parseConfig('eksguard.yaml', 'audit:\n  detections:\n    audit-auth-failures:\n      options:\n        windowMinutes: 0\n');
    expect(() => resolveDetections(config)).toThrow(ConfigError);
    expect(() => resolveDetections(config)).toThrow(/windowMinutes/);
  });
});
