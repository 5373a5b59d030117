/** Onboarding: upload a file of IDs and traits to a data source, follow the job, read its row errors. */
import { useEffect, useState } from 'preact/hooks';
import type { Session } from './api.ts';
import { EDITOR_ROLES, call, messageOf } from './api.ts';
import { upload } from './upload.ts';
import type { JobReport } from './onboarding-report.ts';
import { fileType } from './onboarding-report.ts';
import { JobList, JobView } from './onboarding-job.tsx';

/** A data source as `GET /v1/sources` lists it. */
interface DataSource {
  code: string;
  name: string;
  party: string;
}

/**
 * The onboarding page: editors and admins choose a data source and a file (CSV with the header
 * `id,traits[,idType][,ts]`, or NDJSON) and upload it (`POST /v1/onboarding/{source}`), watching the bytes
 * go up, then the job's progress and, when it ends, the rows applied and refused with the report of each
 * refused row. Everyone sees the tenant's recent jobs (`GET /v1/onboarding/jobs`) and may open one.
 */
export function OnboardingPage({ session }: { session: Session }) {
  const canUpload = EDITOR_ROLES.has(session.role);
  const [jobs, setJobs] = useState<JobReport[]>([]);
  const [listError, setListError] = useState('');
  const [open, setOpen] = useState<JobReport | undefined>(undefined);

  const reload = () =>
    call<{ jobs: JobReport[] }>('GET', '/v1/onboarding/jobs')
      .then((r) => {
        setJobs(r.jobs);
        setListError('');
      })
      .catch((e: unknown) => setListError(messageOf(e)));
  useEffect(() => void reload(), []);

  return (
    <>
      <h1>Onboarding</h1>
      <p>
        Onboarding loads a partner's file of IDs and traits into the profiles: each row names an ID and the
        data source's onboarded traits it holds (<code>id,traits</code>, traits separated by <code>|</code>).
        Bad rows are refused one by one, with their row number; good rows are applied.
      </p>
      {canUpload ? (
        <UploadForm
          onJob={(job) => {
            setOpen(job);
            void reload();
          }}
        />
      ) : (
        <p class="note">
          Your role ({session.role}) may read onboarding jobs but not upload files: uploads need the editor
          role.
        </p>
      )}
      {open !== undefined && <JobView key={open.job} first={open} onEnded={() => void reload()} />}
      <h2>Recent jobs</h2>
      {listError !== '' && <p role="alert">{listError}</p>}
      <p>
        <button type="button" onClick={() => void reload()}>
          Refresh jobs
        </button>
      </p>
      <JobList jobs={jobs} onOpen={setOpen} />
    </>
  );
}

/** The upload form: data source, mode, default ID type and file; the upload's progress in bytes. */
function UploadForm({ onJob }: { onJob: (job: JobReport) => void }) {
  const [sources, setSources] = useState<DataSource[]>([]);
  const [source, setSource] = useState('');
  const [mode, setMode] = useState('delta');
  const [idType, setIdType] = useState('uid');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [sent, setSent] = useState<{ loaded: number; total: number } | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    call<{ sources: DataSource[] }>('GET', '/v1/sources')
      .then((r) => {
        setSources(r.sources);
        setSource((s) => s || (r.sources[0]?.code ?? ''));
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  const send = async (event: Event) => {
    event.preventDefault();
    if (file === undefined) {
      setError('Choose a file to upload.');
      return;
    }
    setError('');
    setBusy(true);
    setSent({ loaded: 0, total: file.size });
    const query = new URLSearchParams({ mode, idType });
    try {
      const job = await upload<JobReport>(
        `/v1/onboarding/${encodeURIComponent(source)}?${query.toString()}`,
        file,
        fileType(file.name),
        (loaded, total) => setSent({ loaded, total }),
      );
      onJob(job);
    } catch (e) {
      setError(`The file was not taken: ${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void send(e)} aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a file</h2>
      <label for="upload-source">Data source</label>
      <select id="upload-source" value={source} required onChange={(e) => setSource(e.currentTarget.value)}>
        {sources.map((s) => (
          <option key={s.code} value={s.code}>
            {s.name} ({s.code}, {s.party} party)
          </option>
        ))}
      </select>
      <label for="upload-mode">Mode</label>
      <select id="upload-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
        <option value="delta">delta: add the file's traits (-CODE removes one)</option>
        <option value="full">full: the file is the whole truth for this source</option>
      </select>
      <label for="upload-id-type">ID type of rows that name none</label>
      <input id="upload-id-type" value={idType} required onInput={(e) => setIdType(e.currentTarget.value)} />
      <label for="upload-file">File</label>
      <input
        id="upload-file"
        type="file"
        accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
        aria-describedby="upload-file-help"
        onChange={(e) => setFile(e.currentTarget.files?.[0])}
      />
      <p id="upload-file-help" class="note">
        CSV with the header <code>id,traits</code> (optionally <code>idType</code> and <code>ts</code>{' '}
        columns), or NDJSON (<code>.ndjson</code>, <code>.jsonl</code>), one object per line.
      </p>
      <div>
        <button type="submit" disabled={busy || source === ''}>
          Upload
        </button>
      </div>
      {sent !== undefined && (
        <p>
          <label for="upload-progress">Upload progress</label>{' '}
          <progress id="upload-progress" max={Math.max(sent.total, 1)} value={sent.loaded} />{' '}
          {sent.loaded.toLocaleString('en')} of {sent.total.toLocaleString('en')} bytes sent
        </p>
      )}
      {error !== '' && <p role="alert">{error}</p>}
    </form>
  );
}
