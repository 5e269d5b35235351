import { describeTrackerProxy } from '@datafast-checkout/devserver/testing/vitest';
import { example } from './example.js';

// The tracker proxy: a browser that blocks DataFast still gets its cookie, pageview and
// attributed payment through the app. datafastProxy() trusts no proxy by default, so a forged
// X-Forwarded-For never becomes the visitor's address: the connection's (::1) does.
describeTrackerProxy(example);
