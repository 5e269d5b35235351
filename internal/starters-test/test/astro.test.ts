import { describeStarters } from './starters.js';

// Astro 7 needs Node >= 22.23.4: the copies install, build, run and test on Node 22.
describeStarters('astro', { nodeAtLeast: '22.23.4' });
