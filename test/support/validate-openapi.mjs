// Validates the OpenAPI document on stdin with @apidevtools/swagger-parser, outside jest: the
// validator's dependencies are ES modules only, which jest's CommonJS runtime cannot load.
// Prints "valid" or the validator's message, and exits non-zero on an invalid document.
import SwaggerParser from '@apidevtools/swagger-parser';

let input = '';
for await (const chunk of process.stdin) input += chunk;
try {
  const api = await SwaggerParser.validate(JSON.parse(input));
  process.stdout.write(`valid ${api.openapi}\n`);
} catch (error) {
  process.stdout.write(`invalid: ${error.message}\n`);
  process.exitCode = 1;
}
