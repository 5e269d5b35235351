import { describeStarters } from './starters.js';

describeStarters('next');
