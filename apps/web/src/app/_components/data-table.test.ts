import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Column } from './data-table';
import { DataTable } from './data-table';

type Row = { id: string; n: number };
const columns: readonly Column<Row>[] = [
  { header: 'Id', cell: (r) => r.id, className: 'mono' },
  { header: 'N', cell: (r) => r.n },
];
const render = (rows: readonly Row[], empty: string | null = 'Nothing yet.') =>
  renderToStaticMarkup(
    createElement(DataTable<Row>, {
      label: 'Numbers',
      columns,
      rows,
      rowKey: (r) => r.id,
      rowData: (r) => ({ 'data-n': r.n }),
      empty,
    }),
  );

describe('the dashboard table', () => {
  it('has a named table with column headers and one row per item, with its data attributes', () => {
    expect(render([{ id: 'a', n: 1 }])).toBe(
      '<table aria-label="Numbers"><thead><tr><th scope="col">Id</th><th scope="col">N</th></tr></thead>' +
        '<tbody><tr data-n="1"><td class="mono">a</td><td>1</td></tr></tbody></table>',
    );
  });

  it('says there is nothing rather than showing an empty table', () => {
    expect(render([])).toBe('<p class="muted">Nothing yet.</p>');
    expect(render([], null)).toBe('');
  });
});
