// Prints Jest's totals from its --json results file as the line "N passed, N failed".
import * as fs from 'node:fs';

const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
console.log(`${results.numPassedTests} passed, ${failed} failed`);
