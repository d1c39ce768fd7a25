// CommonJS entry: `require('tunetrail-sdk')` is the client class itself, carrying everything the ES
// module entry exports (`const { TuneTrailManagement } = require('tunetrail-sdk')`, `.default` too,
// so TypeScript's `import TuneTrail from` compiled to CommonJS works). Its types are index.d.ts.
import * as sdk from './index.js';

export = Object.assign(sdk.default, sdk);
