// CommonJS entry: `require('tunetrail-sdk')` is the client class itself; everything else the ES module
// entry exports is a static property of it (`const { TuneTrailManagement } = require('tunetrail-sdk')`).
import { TuneTrail } from './client.js';

export = TuneTrail;
