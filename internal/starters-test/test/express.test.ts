import { describeStarters } from './starters.js';

describeStarters('express');
