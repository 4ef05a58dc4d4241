// Points TMPDIR at one fresh folder for the whole test run, so the runner
// folders, kubeconfigs and reports that tests create under os.tmpdir() are
// removed together by global-teardown.mjs instead of piling up in /tmp.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setUpTemporaryFolder() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-tests-'));
  process.env['ATOM_TEST_TMPDIR'] = folder;
  process.env['TMPDIR'] = folder;
}
