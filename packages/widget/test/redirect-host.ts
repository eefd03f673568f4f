// The script of redirect-host.html, a host app's page in a frame for the redirect-mode tests:
// it registers the element and shortens its intervals, as `useFastTiming` does in the test
// page (the frame has its own copy of every module).
import '../src/define.js';
import { timing } from '../src/timing.js';

Object.assign(timing, { closedCheckMs: 10, gracePolls: 3, gracePollMs: 10, latePollMs: 10 });
