import { describeStarters } from './starters.js';

describeStarters('hono');
