import { describeBundle } from '../test/describe-bundle.js';

describeBundle('pingone-connect.js');
