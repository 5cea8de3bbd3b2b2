import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpeczEngine } from '../../../main/engine/specz';
import { useTempDir } from '../../compute/io/helpers';
import { speczMapping } from '../../helpers/specz-mapping';

const tmp = useTempDir('tsm-specz-engine-');

const mapping = speczMapping({ id: 'id' });

describe("the app's spec-z registration of a file cut mid-line", () => {
  it('reports the cut line among the rejected rows, with true counts, and registers the rest when asked', async () => {
    const path = join(tmp.dir, 'cut.csv');
    writeFileSync(
      path,
      'id,ra,dec,z\n1,10.0,-30.0,0.5\n2,10.1,-30.1,0.6\n3,10.2,-30.2,0.7\n4,10.3,-3',
    );
    const engine = createSpeczEngine(async () => ({}));
    const report = await engine.validateSpecz(path, mapping);
    expect(report).toMatchObject({ ok: false, rowsRead: 4, rowsValid: 3 });
    expect(report.issues).toEqual([
      {
        severity: 'error',
        message:
          'last line cut short (3 fields, expected 4): the file looks truncated; re-export it: 1 row (line 5)',
        count: 1,
      },
    ]);
    const dataDir = join(tmp.dir, 'data');
    await expect(
      engine.registerSpecz({ path, mapping, name: 'cut', dataDir, skipInvalidRows: false }),
    ).rejects.toThrow(
      `${path}: the last line (line 5) is cut short, so the file looks truncated (re-export it); 1 of 4 rows are invalid`,
    );
    const registered = await engine.registerSpecz({
      path,
      mapping,
      name: 'cut',
      dataDir,
      skipInvalidRows: true,
    });
    expect(registered.report).toMatchObject({ rowsRead: 4, rowsValid: 3 });
    expect(registered.location).toBe(join(dataDir, 'catalogs', 'cut'));
  });
});
