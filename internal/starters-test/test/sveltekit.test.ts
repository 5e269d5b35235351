import { describeStarters } from './starters.js';

describeStarters('sveltekit');
