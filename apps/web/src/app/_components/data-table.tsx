import type { ReactNode } from 'react';

/** One column of a {@link DataTable}: its header and how a row fills its cell. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** A class for the column's cells (`mono`, `num`). */
  readonly className?: string;
}

/**
 * The dashboard's table: column headers (`scope="col"`) and one row per item, or — when there
 * are no items — a sentence saying so instead of an empty table.
 */
export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  rowData,
  empty,
}: {
  /** The table's accessible name, when the section heading around it does not say enough. */
  readonly label?: string;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row) => string;
  /** `data-*` attributes of a row (e.g. an event's `seq`). */
  readonly rowData?: (row: Row) => Readonly<Record<`data-${string}`, string | number>>;
  /** Shown instead of the table when there are no rows; null shows nothing. */
  readonly empty: string | null;
}) {
  if (rows.length === 0) return empty === null ? null : <p className="muted">{empty}</p>;
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowData?.(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
