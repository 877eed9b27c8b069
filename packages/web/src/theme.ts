/** Light, dark, or whatever the operating system prefers; kept in this browser only. */
export type Appearance = 'light' | 'dark' | 'system';

const KEY = 'quarry.appearance';

export function storedAppearance(): Appearance {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Sets `data-theme` on the document; `system` follows `prefers-color-scheme` in CSS. */
export function applyAppearance(appearance: Appearance) {
  if (appearance === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, appearance);
    document.documentElement.dataset.theme = appearance;
  }
}
