import type { ColumnDraft } from './destination-draft.ts';
import { ErrorText, describedBy } from './form-fields.tsx';

/** Where a file column's values come from (`EXPORT_COLUMN_SOURCES`), with the words the form shows. */
const SOURCES = [
  ['id', 'the visitor ID (id)'],
  ['id_type', 'the ID type (id_type)'],
  ['segments', 'our segment codes (segments)'],
  ['segment_ids', "the destination's segment IDs (segment_ids)"],
  ['action', 'added or removed (action)'],
  ['timestamp', 'the time (timestamp)'],
  ['constant', 'a constant value (constant)'],
] as const;

/**
 * A file destination's columns (`settings.columns`): one row per column with its name, its source, the
 * separator of list values and a constant's value, each labelled "Column N ..."; "Add column" and
 * "Remove column N". The API's errors for the columns are shown under the table.
 *
 * Example: `<ExportColumns columns={d.columns} onColumns={(columns) => set({ columns })} messages={...} />`
 */
export function ExportColumns({
  columns,
  onColumns,
  messages,
}: {
  columns: ColumnDraft[];
  onColumns: (columns: ColumnDraft[]) => void;
  messages?: string[];
}) {
  const change = (i: number, patch: Partial<ColumnDraft>) =>
    onColumns(columns.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const id = 'settings-columns';
  return (
    <fieldset aria-describedby={describedBy(id)}>
      <legend>Columns of the file</legend>
      <ol class="columns">
        {columns.map((c, i) => (
          <li key={i}>
            <label for={`column-${i}-name`}>Column {i + 1} name</label>
            <input
              id={`column-${i}-name`}
              value={c.name}
              onInput={(e) => change(i, { name: e.currentTarget.value })}
            />
            <label for={`column-${i}-from`}>Column {i + 1} source</label>
            <select
              id={`column-${i}-from`}
              value={c.from}
              onChange={(e) => change(i, { from: e.currentTarget.value })}
            >
              {SOURCES.map(([v, words]) => (
                <option key={v} value={v}>
                  {words}
                </option>
              ))}
            </select>
            <label for={`column-${i}-separator`}>Column {i + 1} list separator</label>
            <input
              id={`column-${i}-separator`}
              class="short"
              value={c.separator}
              onInput={(e) => change(i, { separator: e.currentTarget.value })}
            />
            {c.from === 'constant' && (
              <>
                <label for={`column-${i}-value`}>Column {i + 1} value</label>
                <input
                  id={`column-${i}-value`}
                  value={c.value}
                  onInput={(e) => change(i, { value: e.currentTarget.value })}
                />
              </>
            )}
            <button type="button" onClick={() => onColumns(columns.filter((_, j) => j !== i))}>
              Remove column {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => onColumns([...columns, { name: '', from: 'id', separator: '', value: '' }])}
      >
        Add column
      </button>
      <ErrorText id={id} messages={messages} />
    </fieldset>
  );
}
