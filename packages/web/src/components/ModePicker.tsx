export type Mode = 'hybrid' | 'keyword' | 'semantic';

const MODES: Array<{ value: Mode; label: string }> = [
  { value: 'hybrid', label: 'Hybrid' },
  { value: 'keyword', label: 'Keyword' },
  { value: 'semantic', label: 'Semantic' },
];

/** The retrieval mode, as a group of radio buttons. */
export function ModePicker({ value, onChange }: { value: Mode; onChange: (mode: Mode) => void }) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">Search mode</legend>
      {MODES.map((mode) => (
        <label key={mode.value} className={value === mode.value ? 'selected' : undefined}>
          <input
            type="radio"
            name="mode"
            value={mode.value}
            checked={value === mode.value}
            onChange={() => onChange(mode.value)}
          />
          {mode.label}
        </label>
      ))}
    </fieldset>
  );
}
