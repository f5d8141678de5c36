/** The registry of demo model families: a new family is one file plus one entry here. */
import type { Family } from '../family.js';
import { boxWithLid } from './box-with-lid.js';
import { bracket } from './bracket.js';
import { cableClip } from './cable-clip.js';
import { chessPiece } from './chess-piece.js';
import { coaster } from './coaster.js';
import { dice } from './dice.js';
import { gear } from './gear.js';
import { hook } from './hook.js';
import { keycap } from './keycap.js';
import { namePlate } from './name-plate.js';
import { penHolder } from './pen-holder.js';
import { phoneStand } from './phone-stand.js';
import { planter } from './planter.js';
import { vase } from './vase.js';

export const FAMILIES: readonly Family[] = [
  vase,
  gear,
  boxWithLid,
  bracket,
  hook,
  planter,
  cableClip,
  phoneStand,
  chessPiece,
  keycap,
  coaster,
  namePlate,
  dice,
  penHolder,
];
