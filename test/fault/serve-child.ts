/** A real layerwise server in its own process for the fault suite (see children.ts): the API test fixture. */
import { startFixture } from '../../src/api/testing/fixture.js';

const f = await startFixture();
process.send?.({ url: f.url, dir: f.dir });
