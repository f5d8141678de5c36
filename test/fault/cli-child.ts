/** The layerwise CLI in its own process for the fault suite (see children.ts). */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
