import type { Location } from '../api.ts';
import { useApi } from '../useApi.ts';

/** The page-head "Location" choice of the analysis pages (reports, waste): every location, or one. */
export function LocationPicker({ value, onChange, testId }: { value: string; onChange: (code: string) => void; testId: string }) {
  const locations = useApi<{ items: Location[] }>('/api/locations');
  return (
    <label className="inline">
      Location{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">All locations</option>
        {locations.data?.items.map((l) => (
          <option key={l.code} value={l.code}>{l.code} — {l.name}</option>
        ))}
      </select>
    </label>
  );
}
