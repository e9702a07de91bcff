/** `npm run openapi -w @strata/server`: writes apps/server/openapi.json and the types generated from it. */
import { writeFileSync } from 'node:fs';
import { documentFile, documentText, typesFile, typesText } from './openapi-artifacts.ts';

const document = documentText();
writeFileSync(documentFile, document);
writeFileSync(typesFile, await typesText(document));
process.stdout.write(`wrote ${documentFile}\nwrote ${typesFile}\n`);
