import { corpus } from './scripts/bench.js';
