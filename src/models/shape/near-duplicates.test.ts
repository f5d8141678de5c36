import { describe, expect, it } from 'vitest';
import { prepareShape } from '../../geometry/descriptors-features.js';
import { box, cylinder, subdivide, transformMesh } from '../../geometry/sample-primitives.js';
import { invariantDifference, isNearDuplicate, nearDuplicateDistance } from './near-duplicates.js';

describe('near-duplicate detection', () => {
  const base = prepareShape(box(1, 2, 3)).features;

  it('flags a re-posed, re-scaled, re-triangulated copy (also tipped over, not only rotated about up)', () => {
    const copy = prepareShape(subdivide(transformMesh(box(1, 2, 3), 1.1, 7.5, [3, 3, 3])), { seed: 4 }).features;
    expect(invariantDifference(base, copy)).toBeLessThan(1e-4);
    expect(isNearDuplicate(base, copy)).toBe(true);
    const tipped = prepareShape(box(3, 1, 2), { seed: 8 }).features; // same box lying on another face
    expect(isNearDuplicate(base, tipped)).toBe(true);
  });

  it('does not flag parametric siblings or other shapes', () => {
    const longer = prepareShape(box(1, 2, 3.3)).features;
    expect(invariantDifference(base, longer)).toBeGreaterThan(0.01);
    expect(isNearDuplicate(base, longer)).toBe(false);
    const cyl = prepareShape(cylinder(1, 3)).features;
    expect(isNearDuplicate(base, cyl)).toBe(false);
    expect(nearDuplicateDistance(base, cyl)).toBeGreaterThan(nearDuplicateDistance(base, base));
  });
});
