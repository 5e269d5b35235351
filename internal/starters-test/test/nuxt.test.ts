import { describeStarters } from './starters.js';

// Nuxt 4 needs Node ^22.22.3 || ^24.15: the copies install, build, run and test on Node 22.
describeStarters('nuxt', { nodeAtLeast: '22.22.3' });
