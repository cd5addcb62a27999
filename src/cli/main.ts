#!/usr/bin/env node
// The hookbox command. Only the early signal watch is loaded before the rest (see early-signals).
import { watchEarlySignals } from './early-signals.js';

watchEarlySignals();
await import('./commands.js');
