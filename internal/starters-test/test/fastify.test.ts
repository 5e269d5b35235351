import { describeStarters } from './starters.js';

describeStarters('fastify');
