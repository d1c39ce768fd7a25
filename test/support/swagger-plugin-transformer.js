// Runs the @nestjs/swagger CLI plugin inside ts-jest, as `nest build` does, so tests see the same
// OpenAPI document the built service serves. Options must match nest-cli.json.
const swaggerPlugin = require('@nestjs/swagger/plugin');

const options = { classValidatorShim: true, introspectComments: true, dtoFileNameSuffix: ['.dto.ts'] };

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (compiler) => swaggerPlugin.before(options, compiler.program);
