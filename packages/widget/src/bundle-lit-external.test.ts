import { describeBundle } from '../test/describe-bundle.js';

// Its `lit` import resolves through the test server, as an import map would on a page.
describeBundle('pingone-connect.lit-external.js');
