// Removes the folder that global-setup.mjs made the test run's TMPDIR.
import * as fs from 'node:fs';

export default function removeTemporaryFolder() {
  const folder = process.env['ATOM_TEST_TMPDIR'];
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
