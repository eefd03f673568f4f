import { describeBundle } from './test-bundle.js';

describeBundle('pingone-connect.js');
