import type { ComponentChildren } from 'preact';

/**
 * A table (with `id`, if given) with a caption and a header row of `columns` (each `<th scope="col">`), its rows `children`.
 *
 * Example:
 * ```tsx
 * <DataTable caption="The tenant's traits" columns={['Code', 'Name']}>
 *   {traits.map((t) => <tr key={t.code}><td>{t.code}</td><td>{t.name}</td></tr>)}
 * </DataTable>
 * ```
 */
export function DataTable({
  id,
  caption,
  columns,
  children,
}: {
  /** The table's ID, for a page that links to it. */
  id?: string;
  caption: ComponentChildren;
  columns: readonly string[];
  children: ComponentChildren;
}) {
  return (
    <table id={id}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
