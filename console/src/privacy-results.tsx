import { useEffect, useState } from 'preact/hooks';
import type { VisitorExport } from './privacy-text.ts';
import { exportSummary } from './privacy-text.ts';

/**
 * An export: its summary and a link that downloads the whole JSON (a Blob URL, freed when the export is
 * replaced or the page left).
 */
export function ExportResult({ data }: { data: VisitorExport }) {
  const [href, setHref] = useState('');
  const json = JSON.stringify(data, null, 2);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [json]);
  const name = `visitor-${data.profile.uid.replace(/[^A-Za-z0-9_.-]/g, '_')}-export.json`;
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <p id="export-summary">{exportSummary(data)}</p>
      {href !== '' && (
        <p>
          <a href={href} download={name}>
            Download the export ({name}, {Math.ceil(json.length / 1024).toLocaleString('en')} KB)
          </a>
        </p>
      )}
    </section>
  );
}
