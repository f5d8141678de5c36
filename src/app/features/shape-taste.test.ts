/** Shape taste: traits from bounding boxes, the taste of a history against catalogue rates, and its reason text. */
import { describe, expect, it } from 'vitest';
import {
  SHAPE_TRAITS,
  shapeTaste,
  shapeTasteText,
  shapeTraits,
  tasteExample,
  traitRates,
  traitWords,
} from './shape-taste.js';

const bit = (t: (typeof SHAPE_TRAITS)[number]): number => 1 << SHAPE_TRAITS.indexOf(t);

describe('shape taste', () => {
  it('reads traits from the bounding box', () => {
    expect(shapeTraits([30, 20, 2])).toBe(bit('small') | bit('flat'));
    expect(shapeTraits([200, 180, 60])).toBe(bit('large'));
    expect(shapeTraits([40, 40, 120])).toBe(bit('slender'));
    expect(shapeTraits([120, 40, 40])).toBe(bit('slender')); // orientation-free
    expect(shapeTraits([60, 50, 45])).toBe(0);
    expect(shapeTraits(null)).toBe(0);
    expect(shapeTraits([0, 1, 2])).toBe(0);
  });

  it('keeps traits most of the history has and the catalogue mostly lacks', () => {
    const smallFlat = bit('small') | bit('flat');
    const history = [smallFlat, smallFlat, smallFlat | bit('slender'), bit('small'), 0];
    const rates = traitRates([smallFlat, 0, 0, 0, 0, 0, 0, 0, bit('slender'), bit('large')]);
    const t = shapeTaste(history, rates);
    expect(traitWords(t.traits)).toBe('small flat');
    // a trait as common in the catalogue as in the history says nothing about the user
    expect(shapeTaste(history, [0.9, 0, 0.1, 0]).traits).toBe(bit('flat'));
    // too few items: no taste
    expect(shapeTaste([smallFlat, smallFlat], rates).traits).toBe(0);
    const ex = tasteExample(history, t.traits);
    expect(ex).toBe(2);
    expect(shapeTasteText(t.traits, 'Flat hook')).toBe('you print many small flat parts like "Flat hook"');
  });
});
