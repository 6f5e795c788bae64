import { describe, expect, it } from 'vitest';

import { startRegexWorker } from './regex-worker';

describe('startRegexWorker', () => {
  it('answers the indices of the matching lines, batch after batch, from one worker', async () => {
    const worker = startRegexWorker('^b', new AbortController().signal);
    try {
      expect(await worker.matchingLines(['a', 'b', 'bb'])).toEqual([1, 2]);
      expect(await worker.matchingLines(['b'])).toEqual([0]);
      expect(await worker.matchingLines([])).toEqual([]);
    } finally {
      worker.close();
    }
  });

  it('rejects a batch in progress with the reason of stop once it aborts', async () => {
    const stop = new AbortController();
    const worker = startRegexWorker('^(a+)+$', stop.signal);
    try {
      const pending = worker.matchingLines([`${'a'.repeat(40)}!`]);
      stop.abort(new Error('stopped by the test'));
      await expect(pending).rejects.toThrow('stopped by the test');
      await expect(worker.matchingLines(['a'])).rejects.toThrow('stopped by the test');
    } finally {
      worker.close();
    }
  });
});
